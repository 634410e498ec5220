/** Count, RMSE, MAE and bias of predictions against what happened, in minutes. */
export interface ErrorFigures {
  count: number;
  rmse: number;
  mae: number;
  /** Mean of predicted − actual: negative when the model under-predicts. */
  bias: number;
  /** The sums behind them, so that figures of several partitions or windows merge exactly. */
  sumError: number;
  sumAbsError: number;
  sumSquaredError: number;
}

/**
 * Running sums from which the error figures follow: adding is O(1) and the figures of a window are exact for the
 * pairs it holds, whatever their order (the sums commute), so an evaluator that sees the same pairs as an offline
 * evaluation reports the same figures.
 */
export class ErrorSums {
  private n = 0;
  private sum = 0;
  private sumAbs = 0;
  private sumSq = 0;

  add(predicted: number, actual: number): void {
    const error = predicted - actual;
    this.n += 1;
    this.sum += error;
    this.sumAbs += Math.abs(error);
    this.sumSq += error * error;
  }

  get count(): number {
    return this.n;
  }

  /** The figures; NaN errors when nothing was added. */
  figures(): ErrorFigures {
    const n = this.n;
    return {
      count: n,
      rmse: n === 0 ? Number.NaN : Math.sqrt(this.sumSq / n),
      mae: n === 0 ? Number.NaN : this.sumAbs / n,
      bias: n === 0 ? Number.NaN : this.sum / n,
      sumError: this.sum,
      sumAbsError: this.sumAbs,
      sumSquaredError: this.sumSq,
    };
  }
}
