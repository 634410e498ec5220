import { describe, expect, it } from 'vitest';
import type { WindowFigures } from '../../src/evaluate/error-windows.js';
import { type EvaluationRecord, evaluationRecord } from '../../src/evaluate/evaluation-record.js';

const window = (count: number): WindowFigures => ({
  model: 'ride-duration',
  version: '1.0.0',
  windowStartMs: Date.UTC(2021, 1, 1, 8),
  windowEndMs: Date.UTC(2021, 1, 1, 9),
  count,
  rmse: count === 0 ? Number.NaN : 5,
  mae: count === 0 ? Number.NaN : 4,
  bias: count === 0 ? Number.NaN : -1,
  sumError: -count,
  sumAbsError: 4 * count,
  sumSquaredError: 25 * count,
  outOfRange: 2,
});

describe('evaluationRecord', () => {
  it('is keyed by version, window and partition, with the figures and the sums that merge them', () => {
    const record = evaluationRecord(3, window(10));
    expect(record.key).toBe('1.0.0|2021-02-01T08:00:00.000Z|3');
    expect(JSON.parse(String(record.value)) as EvaluationRecord).toEqual({
      model: 'ride-duration',
      version: '1.0.0',
      partition: 3,
      window_start: '2021-02-01T08:00:00.000Z',
      window_end: '2021-02-01T09:00:00.000Z',
      count: 10,
      rmse: 5,
      mae: 4,
      bias: -1,
      sum_error: -10,
      sum_abs_error: 40,
      sum_squared_error: 250,
      out_of_range: 2,
    });
  });

  it('writes null figures for a window with only out-of-range rides (JSON has no NaN)', () => {
    const value = JSON.parse(String(evaluationRecord(0, window(0)).value)) as EvaluationRecord;
    expect(value).toMatchObject({ count: 0, rmse: null, mae: null, bias: null, out_of_range: 2 });
  });
});
