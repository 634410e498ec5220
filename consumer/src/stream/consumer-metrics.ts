import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createModelMetrics } from '../common/model-metrics.js';
import { createCanaryMetrics } from './canary/canary-metrics.js';
import type { BatchOutcome } from './core/process-batch.js';
import { type DriftCounts, DriftMetrics } from './drift/drift-metrics.js';

/** The consumer's Prometheus metrics, on a registry of its own (no global state). */
export class ConsumerMetrics {
  readonly registry = new Registry();
  readonly eventsIn = new Counter({
    name: 'ride_events_in_total',
    help: 'Ride events fetched',
    registers: [this.registry],
  });
  readonly predictionsOut = new Counter({
    name: 'ride_predictions_out_total',
    help: 'Predictions acknowledged by the broker',
    labelNames: ['model_version'],
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'ride_dead_letters_total',
    help: 'Events sent to the dead-letter topic, by reason (error code)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'ride_batch_size',
    help: 'Events per processed batch',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
    registers: [this.registry],
  });
  readonly scoringSeconds = new Histogram({
    name: 'ride_scoring_seconds',
    help: 'Model run time per batch',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly latencySeconds = new Histogram({
    name: 'ride_end_to_end_latency_seconds',
    help: 'From the event record timestamp to its prediction being acknowledged',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly lag = new Gauge({
    name: 'ride_consumer_lag',
    help: 'Records behind the partition high watermark at the last fetch',
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
  });
  readonly partitionStalled = new Gauge({
    name: 'ride_partition_stalled',
    help: '1 while an owned partition is behind and no batch of it finished for STALL_TIMEOUT_MS, else 0',
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
  });
  readonly stallRecoveries = new Counter({
    name: 'ride_stall_recoveries_total',
    help: 'Times the client was run again from committed offsets after a stalled partition, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly shadowPredictions = new Counter({
    name: 'ride_shadow_predictions_total',
    help: 'Shadow-model predictions acknowledged by the broker',
    labelNames: ['model_version'],
    registers: [this.registry],
  });
  readonly shadowFailures = new Counter({
    name: 'ride_shadow_failures_total',
    help: 'Rides the primary scored but the shadow model refused or failed on',
    registers: [this.registry],
  });
  readonly shadowScoringSeconds = new Histogram({
    name: 'ride_shadow_scoring_seconds',
    help: 'Shadow model run time per batch (added to the primary path)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly shadowAbsDiffMinutes = new Histogram({
    name: 'ride_shadow_abs_diff_minutes',
    help: 'Absolute difference between the shadow and primary predictions, per ride',
    buckets: [0.01, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
    registers: [this.registry],
  });
  private readonly model = createModelMetrics(this.registry);
  readonly modelInfo = this.model.modelInfo;
  readonly modelSwaps = this.model.modelSwaps;
  readonly canary = createCanaryMetrics(this.registry);
  private readonly drift = new DriftMetrics(this.registry);

  /** A chunk's outcome, once the broker acknowledged its outputs at `ackedAt` (epoch ms). */
  recordBatch(outcome: BatchOutcome, size: number, drift: readonly DriftCounts[], ackedAt: number): void {
    this.eventsIn.inc(size);
    this.batchSize.observe(size);
    this.scoringSeconds.observe(outcome.scoringMs / 1000);
    for (const [version, rides] of outcome.answeredBy) {
      this.predictionsOut.inc({ model_version: version }, rides.length);
    }
    for (const counts of drift) this.drift.record(counts);
    for (const [reason, count] of outcome.reasons) this.deadLetters.inc({ reason }, count);
    for (const ts of outcome.recordTimestamps) this.latencySeconds.observe((ackedAt - ts) / 1000);
    const { shadow } = outcome;
    if (shadow !== undefined) {
      this.shadowScoringSeconds.observe(shadow.scoringMs / 1000);
      this.shadowPredictions.inc({ model_version: shadow.version }, shadow.predictions.length);
      if (shadow.failed > 0) this.shadowFailures.inc(shadow.failed);
      for (const diff of shadow.absDiffs) this.shadowAbsDiffMinutes.observe(diff);
    }
  }

  /** Lag and stall state of a partition now owned elsewhere are that member's to report. */
  forgetPartition(topic: string, partition: number): void {
    const labels = { topic, partition: String(partition) };
    this.lag.remove(labels);
    this.partitionStalled.remove(labels);
  }
}
