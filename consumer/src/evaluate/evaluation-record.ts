import type { OutRecord } from '@ride/shared';
import type { WindowFigures } from './error-windows.js';

/**
 * One published window, as JSON on EVALUATIONS_TOPIC: the figures of one model version over one drop-off window of
 * one input partition, with the sums behind them so a reader merges partitions exactly (RMSE = sqrt(Σ sq / Σ count)).
 * Keyed by version, window and partition: each is published once.
 */
export interface EvaluationRecord {
  model: string;
  version: string;
  partition: number;
  window_start: string;
  window_end: string;
  count: number;
  rmse: number | null;
  mae: number | null;
  bias: number | null;
  sum_error: number;
  sum_abs_error: number;
  sum_squared_error: number;
  out_of_range: number;
}

export function evaluationRecord(partition: number, w: WindowFigures): OutRecord {
  const value: EvaluationRecord = {
    model: w.model,
    version: w.version,
    partition,
    window_start: new Date(w.windowStartMs).toISOString(),
    window_end: new Date(w.windowEndMs).toISOString(),
    count: w.count,
    rmse: w.count === 0 ? null : w.rmse,
    mae: w.count === 0 ? null : w.mae,
    bias: w.count === 0 ? null : w.bias,
    sum_error: w.sumError,
    sum_abs_error: w.sumAbsError,
    sum_squared_error: w.sumSquaredError,
    out_of_range: w.outOfRange,
  };
  return { key: `${w.version}|${value.window_start}|${partition}`, value: JSON.stringify(value) };
}
