/** One model version's figures in one evaluation window (a record of the evaluator's EVALUATIONS_TOPIC). */
export interface WindowFigures {
  version: string;
  /** Identifies the window across versions: its start and the input partition. */
  window: string;
  count: number;
  sumSquaredError: number;
  sumError: number;
}

export interface JudgeSettings {
  /** The candidate is rolled back when its RMSE exceeds the champion's by more than this (minutes). */
  marginMinutes: number;
  /** Pairs each side needs, over the windows both were scored in, before a verdict. */
  minPairs: number;
}

export interface Comparison {
  windows: number;
  champion: { version: string; count: number; rmse: number; bias: number };
  candidate: { version: string; count: number; rmse: number; bias: number };
}

export type Verdict =
  | { kind: 'waiting'; comparison: Comparison }
  | { kind: 'keep'; comparison: Comparison }
  | { kind: 'roll-back'; comparison: Comparison };

interface Sums {
  count: number;
  sumSquaredError: number;
  sumError: number;
}

/**
 * Compares a candidate's live error with the champion's over the evaluation windows both were scored in (the same
 * drop-off hours and partitions, so both saw the same traffic; windows before the canary started do not count).
 * A window's figures arrive once per version; the judge keeps the windows seen for one side until the other arrives.
 * Pure: fed the evaluator's records, it reaches the same verdict on every member and after a restart.
 */
export class CanaryJudge {
  private readonly settings: JudgeSettings;
  private readonly champion: string;
  private readonly candidate: string;
  private readonly unmatched = new Map<string, WindowFigures>();
  private readonly sums = { champion: empty(), candidate: empty() };
  private windows = 0;

  constructor(champion: string, candidate: string, settings: JudgeSettings) {
    this.champion = champion;
    this.candidate = candidate;
    this.settings = settings;
  }

  observe(figures: WindowFigures): void {
    if (figures.version !== this.champion && figures.version !== this.candidate) return;
    const other = this.unmatched.get(figures.window);
    if (other === undefined || other.version === figures.version) {
      this.unmatched.set(figures.window, figures);
      return;
    }
    this.unmatched.delete(figures.window);
    const [champion, candidate] = figures.version === this.champion ? [figures, other] : [other, figures];
    add(this.sums.champion, champion);
    add(this.sums.candidate, candidate);
    this.windows += 1;
  }

  verdict(): Verdict {
    const comparison: Comparison = {
      windows: this.windows,
      champion: { version: this.champion, ...figures(this.sums.champion) },
      candidate: { version: this.candidate, ...figures(this.sums.candidate) },
    };
    const { minPairs, marginMinutes } = this.settings;
    if (comparison.champion.count < minPairs || comparison.candidate.count < minPairs) {
      return { kind: 'waiting', comparison };
    }
    if (comparison.candidate.rmse > comparison.champion.rmse + marginMinutes) {
      return { kind: 'roll-back', comparison };
    }
    return { kind: 'keep', comparison };
  }
}

function empty(): Sums {
  return { count: 0, sumSquaredError: 0, sumError: 0 };
}

function add(sums: Sums, w: WindowFigures): void {
  sums.count += w.count;
  sums.sumSquaredError += w.sumSquaredError;
  sums.sumError += w.sumError;
}

function figures(s: Sums): { count: number; rmse: number; bias: number } {
  if (s.count === 0) return { count: 0, rmse: Number.NaN, bias: Number.NaN };
  return { count: s.count, rmse: Math.sqrt(s.sumSquaredError / s.count), bias: s.sumError / s.count };
}
