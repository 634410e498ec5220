import { Counter, Gauge, Registry } from 'prom-client';
import type { WindowFigures } from './error-windows.js';
import type { PairCounts } from './ride-pairs.js';

/**
 * The evaluator's Prometheus metrics. Error sums are counted when a window is published (once), as counters so that
 * PromQL gives any period's figures across replicas and restarts: RMSE = sqrt(Δsquared / Δpairs), MAE = (Δover +
 * Δunder) / Δpairs, bias = (Δover − Δunder) / Δpairs (Δ = increase over the period).
 */
export class EvaluatorMetrics {
  readonly registry = new Registry();
  private readonly pairs = this.counter(
    'ride_evaluated_pairs_total',
    'Predictions paired with their completion, by model version',
    ['model_version'],
  );
  private readonly over = this.counter(
    'ride_evaluation_over_predicted_minutes_sum',
    'Sum of predicted − actual where the prediction was longer',
    ['model_version'],
  );
  private readonly under = this.counter(
    'ride_evaluation_under_predicted_minutes_sum',
    'Sum of actual − predicted where the prediction was shorter',
    ['model_version'],
  );
  private readonly squaredErrorSum = this.counter(
    'ride_evaluation_squared_error_minutes_sum',
    'Sum of (predicted − actual)² minutes²',
    ['model_version'],
  );
  private readonly outOfRange = this.counter(
    'ride_evaluation_out_of_range_total',
    'Pairs whose actual duration is outside the trained 1..60 minutes',
    ['model_version'],
  );
  readonly windows = this.counter(
    'ride_evaluation_windows_total',
    'Windows published (model version × input partition × window)',
    [],
  );
  private readonly given = this.counter(
    'ride_evaluation_unpaired_total',
    'Events given up unpaired: expired after the TTL, or evicted past EVAL_MAX_PENDING',
    ['side', 'why'],
  );
  private readonly duplicates = this.counter(
    'ride_evaluation_duplicates_total',
    'A second prediction or completion of a ride, ignored',
    [],
  );
  private readonly late = this.counter(
    'ride_evaluation_late_pairs_total',
    'Pairs for a window already published, not added',
    [],
  );
  readonly invalid = this.counter(
    'ride_evaluation_invalid_total',
    'Records that could not be read, by topic and reason',
    ['topic', 'reason'],
  );
  readonly pending = new Gauge({
    name: 'ride_evaluation_pending',
    help: 'Events waiting for their other half',
    labelNames: ['side'],
    registers: [this.registry],
  });

  published(windows: readonly WindowFigures[]): void {
    for (const w of windows) {
      const labels = { model_version: w.version };
      this.windows.inc();
      this.pairs.inc(labels, w.count);
      // Σ|e| = over + under and Σe = over − under.
      this.over.inc(labels, Math.max(0, (w.sumAbsError + w.sumError) / 2));
      this.under.inc(labels, Math.max(0, (w.sumAbsError - w.sumError) / 2));
      this.squaredErrorSum.inc(labels, w.sumSquaredError);
      this.outOfRange.inc(labels, w.outOfRange);
    }
  }

  /** Adds what a partition's counts grew by since `before`. */
  counted(
    before: Readonly<PairCounts> & { late: number },
    after: Readonly<PairCounts> & { late: number },
  ): void {
    this.given.inc(
      { side: 'prediction', why: 'expired' },
      after.expiredPredictions - before.expiredPredictions,
    );
    this.given.inc(
      { side: 'completion', why: 'expired' },
      after.expiredCompletions - before.expiredCompletions,
    );
    this.given.inc({ side: 'either', why: 'evicted' }, after.evicted - before.evicted);
    this.duplicates.inc(after.duplicates - before.duplicates);
    this.late.inc(after.late - before.late);
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
