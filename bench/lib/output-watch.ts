import type { KafkaAdmin } from '@ride/shared';
import { recordCount, waitFor } from '../../harness/index.js';
import type { ProcessSampler } from './proc-stats.js';

export interface ThroughputResult {
  events: number;
  seconds: number;
  events_per_s: number;
  /** CPU seconds the measured processes used per million events, between first and last output. */
  cpu_s_per_million: number;
  peak_rss_mb: number;
}

export interface WatchOptions {
  admin: KafkaAdmin;
  /** Output topics whose records together reach `target` when the job is done (predictions + dead letters). */
  topics: readonly string[];
  target: number;
  samplers: readonly ProcessSampler[];
  /** Fail when the output stops growing for this long. */
  stallMs?: number;
  pollMs?: number;
  /** Resolves if a measured process dies: the run fails instead of waiting for the stall timeout. */
  died?: Promise<unknown>;
}

/**
 * Times a job from its first output record to the output reaching `target`, by polling end offsets. The
 * interval starts at the first poll that sees output, so events/s counts only the records written after it.
 */
export async function watchOutput(options: WatchOptions): Promise<ThroughputResult> {
  const { admin, topics, target, samplers } = options;
  const pollMs = options.pollMs ?? 100;
  const stallMs = options.stallMs ?? 60_000;
  let dead = false;
  void options.died?.then(() => {
    dead = true;
  });
  const count = async () =>
    (await Promise.all(topics.map((t) => recordCount(admin, t)))).reduce((a, b) => a + b);
  let first: { at: number; count: number } | undefined;
  let last = { at: performance.now(), count: 0 };
  // No overall timeout: the run may take as long as it keeps writing; the check fails on a stall or a death.
  await waitFor(
    async () => {
      const n = await count();
      const at = performance.now();
      for (const s of samplers) s.sample();
      if (first === undefined && n > 0) {
        first = { at, count: n };
        for (const s of samplers) s.mark();
      }
      if (n > last.count) last = { at, count: n };
      if (n >= target) return true;
      if (dead) throw new Error(`a measured process exited with ${n} of ${target} records written`);
      if (at - last.at > stallMs)
        throw new Error(`output stalled at ${n} of ${target} records for ${stallMs} ms`);
      return false;
    },
    Number.POSITIVE_INFINITY,
    () => `output at ${last.count} of ${target} records`,
    { intervalMs: pollMs },
  );
  const start = first ?? last;
  const seconds = (last.at - start.at) / 1000;
  const events = last.count - start.count;
  const cpu = samplers.reduce((sum, s) => sum + s.cpuSinceMark(), 0);
  return {
    events: last.count,
    seconds: Number(seconds.toFixed(3)),
    events_per_s: Math.round(events / seconds),
    cpu_s_per_million: Number(((cpu / Math.max(events, 1)) * 1e6).toFixed(2)),
    peak_rss_mb: Math.round(Math.max(...samplers.map((s) => s.peakRssMb))),
  };
}
