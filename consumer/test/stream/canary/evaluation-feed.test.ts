import { describe, expect, it } from 'vitest';
import { evaluationRecord } from '../../../src/evaluate/evaluation-record.js';
import { readFeedRecord, rollbackRecord } from '../../../src/stream/canary/evaluation-feed.js';

describe('readFeedRecord', () => {
  it("reads the evaluator's own window records", () => {
    const out = evaluationRecord(3, {
      model: 'ride-duration',
      version: '1.0.0',
      windowStartMs: Date.UTC(2021, 1, 1),
      windowEndMs: Date.UTC(2021, 1, 1, 1),
      count: 10,
      rmse: 2,
      mae: 1.5,
      bias: 0.5,
      sumError: 5,
      sumAbsError: 15,
      sumSquaredError: 40,
      outOfRange: 0,
    });
    expect(readFeedRecord(Buffer.from(out.value as string))).toEqual({
      kind: 'window',
      figures: {
        version: '1.0.0',
        window: '2021-02-01T00:00:00.000Z|3',
        count: 10,
        sumSquaredError: 40,
        sumError: 5,
      },
    });
  });

  it('reads a rollback decision back, and anything else as other', () => {
    const decision = {
      kind: 'canary-rollback' as const,
      model: 'ride-duration',
      version: '0.1.0',
      champion: '1.0.0',
      reason: 'error' as const,
      detail: 'worse',
      decided_at: '2026-12-06T10:00:00.000Z',
    };
    const record = rollbackRecord(decision);
    expect(record.key).toBe('canary-rollback|0.1.0');
    expect(readFeedRecord(Buffer.from(record.value))).toEqual({ kind: 'rollback', decision });
    for (const value of ['not json', '42', '{"version":"1.0.0"}', 'null']) {
      expect(readFeedRecord(Buffer.from(value))).toEqual({ kind: 'other' });
    }
    expect(readFeedRecord(null)).toEqual({ kind: 'other' });
  });
});
