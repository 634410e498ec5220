import type { ModelScorer, RideFeatures } from '@ride/shared/model';
import { percentile } from './percentiles.js';

export interface CallTiming {
  rows_per_s: number;
  p50_ms: number;
  p99_ms: number;
  calls: number;
}

const WARMUP_CALLS = 20;
const MIN_CALLS = 50;

/**
 * Scores every ride once in calls of `batch` rides (wrapping round to reach MIN_CALLS for big batches), the
 * same schedule as models/bench_model.py so the two columns compare. Timed: ModelScorer.score, which includes
 * validation and the NYC-time feature derivation as the consumer runs it.
 */
export async function timeScorer(
  scorer: ModelScorer,
  rides: readonly RideFeatures[],
  batch: number,
): Promise<CallTiming> {
  const calls = Math.max(MIN_CALLS, Math.ceil(rides.length / batch));
  const chunks: RideFeatures[][] = [];
  for (let i = 0; i < calls; i++) {
    const start = (i * batch) % rides.length;
    chunks.push(rides.slice(start, start + batch));
  }
  for (const chunk of chunks.slice(0, WARMUP_CALLS)) await scorer.score(chunk);
  const latencies = new Float64Array(chunks.length);
  let scored = 0;
  for (let i = 0; i < chunks.length; i++) {
    const began = performance.now();
    await scorer.score(chunks[i]!);
    latencies[i] = performance.now() - began;
    scored += chunks[i]!.length;
  }
  const total = latencies.reduce((a, b) => a + b, 0);
  latencies.sort();
  return {
    rows_per_s: Math.round((scored * 1000) / total),
    p50_ms: Number(percentile(latencies, 0.5).toFixed(4)),
    p99_ms: Number(percentile(latencies, 0.99).toFixed(4)),
    calls: chunks.length,
  };
}
