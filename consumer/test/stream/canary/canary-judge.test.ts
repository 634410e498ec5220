import { describe, expect, it } from 'vitest';
import { CanaryJudge, type WindowFigures } from '../../../src/stream/canary/canary-judge.js';

const w = (version: string, window: string, count: number, rmse: number, bias = 0): WindowFigures => ({
  version,
  window,
  count,
  sumSquaredError: rmse * rmse * count,
  sumError: bias * count,
});

describe('CanaryJudge', () => {
  const settings = { marginMinutes: 0.5, minPairs: 100 };

  it('waits for enough pairs on both sides, counting only windows both versions were scored in', () => {
    const judge = new CanaryJudge('1.0.0', '0.1.0', settings);
    judge.observe(w('1.0.0', 'h0|0', 1000, 6)); // before the canary: never matched
    judge.observe(w('0.1.0', 'h1|0', 60, 9));
    judge.observe(w('1.0.0', 'h1|0', 240, 6));
    expect(judge.verdict()).toMatchObject({ kind: 'waiting', comparison: { windows: 1 } });
    judge.observe(w('1.0.0', 'h2|0', 240, 6));
    judge.observe(w('0.1.0', 'h2|0', 60, 9));
    const verdict = judge.verdict();
    expect(verdict.kind).toBe('roll-back');
    expect(verdict.comparison.champion).toMatchObject({ version: '1.0.0', count: 480 });
    expect(verdict.comparison.champion.rmse).toBeCloseTo(6, 9);
    expect(verdict.comparison.candidate.rmse).toBeCloseTo(9, 9);
  });

  it('keeps a candidate within the margin, and merges windows exactly (RMSE from the sums)', () => {
    const judge = new CanaryJudge('1.0.0', '1.1.0', settings);
    for (const [i, rmse] of [5, 7].entries()) {
      judge.observe(w('1.1.0', `h${i}|1`, 100, rmse, -1));
      judge.observe(w('1.0.0', `h${i}|1`, 400, 6, 1));
    }
    const verdict = judge.verdict();
    expect(verdict.kind).toBe('keep');
    expect(verdict.comparison.candidate.rmse).toBeCloseTo(Math.sqrt((25 * 100 + 49 * 100) / 200), 9);
    expect(verdict.comparison.candidate.bias).toBeCloseTo(-1, 9);
    expect(verdict.comparison.champion.bias).toBeCloseTo(1, 9);
  });

  it('ignores other versions, and a second copy of one side does not count twice', () => {
    const judge = new CanaryJudge('1.0.0', '0.1.0', { marginMinutes: 0, minPairs: 1 });
    judge.observe(w('0.9.0', 'h0|0', 100, 1));
    judge.observe(w('0.1.0', 'h0|0', 100, 9));
    judge.observe(w('0.1.0', 'h0|0', 100, 9));
    judge.observe(w('1.0.0', 'h0|0', 100, 6));
    expect(judge.verdict().comparison).toMatchObject({ windows: 1, candidate: { count: 100 } });
  });
});
