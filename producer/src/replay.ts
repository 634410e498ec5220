import type { RideCompleted, RideStarted } from '@ride/shared';
import type { SendResult } from './ride-producer.js';

/**
 * How fast to replay: a fixed rate, the events' own pace (rides' pickups, completions' drop-offs) sped up by a
 * factor, or as fast as possible.
 */
export type Pace =
  | { kind: 'max' }
  | { kind: 'rate'; perSecond: number }
  | { kind: 'speedup'; factor: number };

export interface ReplayStats {
  sent: number;
  failed: number;
  elapsedMs: number;
  /** Acknowledged events per second over the whole replay. */
  rate: number;
}

export interface BatchSender {
  /** Rides, and the completions of an interleaved replay (see replayEvents), sent and acknowledged as one. */
  sendBatch(rides: readonly RideStarted[], completions?: readonly RideCompleted[]): Promise<SendResult>;
}

/** One event of a replayed timeline, due at `at` (epoch ms): a ride at its pickup, a completion at its drop-off. */
export type ReplayEvent =
  | { kind: 'ride'; at: number; ride: RideStarted }
  | { kind: 'completion'; at: number; completion: RideCompleted };

export interface ReplayOptions {
  pace: Pace;
  /** Largest number of events (rides and completions) per send. */
  batchSize?: number;
  /** Stop after this long even if events remain. */
  durationMs?: number;
  signal?: AbortSignal;
  onProgress?: (stats: ReplayStats) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

// Waits shorter than this are not worth a timer: the events go out with the batch being built.
const MIN_SLEEP_MS = 5;

/** Sends rides at the chosen pace. Counts a ride as sent only once the broker acknowledged its batch. */
export function replay(
  rides: Iterable<RideStarted>,
  sender: BatchSender,
  options: ReplayOptions,
): Promise<ReplayStats> {
  return replayEvents(rideEvents(rides), sender, options);
}

/** Rides as a timeline: each due at its pickup. */
export function* rideEvents(rides: Iterable<RideStarted>): Generator<ReplayEvent> {
  for (const ride of rides) yield { kind: 'ride', at: ride.pickup_datetime, ride };
}

/**
 * Sends a timeline of events in its order at the chosen pace: `speedup` spaces them by their times (`at`), `rate`
 * and `max` by their count, rides and completions alike. Counts an event as sent only once the broker acknowledged
 * its batch.
 */
export async function replayEvents(
  events: Iterable<ReplayEvent>,
  sender: BatchSender,
  options: ReplayOptions,
): Promise<ReplayStats> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const batchSize = options.batchSize ?? 500;
  const start = now();
  const deadline = options.durationMs === undefined ? Infinity : start + options.durationMs;
  const stats: ReplayStats = { sent: 0, failed: 0, elapsedMs: 0, rate: 0 };
  let rides: RideStarted[] = [];
  let completions: RideCompleted[] = [];
  let index = 0;
  let firstAt: number | undefined;

  const flush = async () => {
    if (rides.length + completions.length === 0) return;
    const result = await sender.sendBatch(rides, completions);
    rides = [];
    completions = [];
    stats.sent += result.sent;
    stats.failed += result.failed;
    stats.elapsedMs = now() - start;
    stats.rate = stats.elapsedMs > 0 ? (stats.sent * 1000) / stats.elapsedMs : 0;
    options.onProgress?.({ ...stats });
  };

  for (const event of events) {
    if (options.signal?.aborted || now() >= deadline) break;
    firstAt ??= event.at;
    const due = dueAt(options.pace, start, index, event.at - firstAt);
    if (due >= deadline) break;
    index++;
    if (due - now() > MIN_SLEEP_MS) {
      await flush();
      const wait = Math.min(due, deadline) - now();
      if (wait > 0) await sleep(wait);
      if (options.signal?.aborted || now() >= deadline) break;
    }
    if (event.kind === 'ride') rides.push(event.ride);
    else completions.push(event.completion);
    if (rides.length + completions.length >= batchSize) await flush();
  }
  await flush();
  stats.elapsedMs = now() - start;
  stats.rate = stats.elapsedMs > 0 ? (stats.sent * 1000) / stats.elapsedMs : 0;
  return stats;
}

function dueAt(pace: Pace, start: number, index: number, sinceFirstMs: number): number {
  switch (pace.kind) {
    case 'max':
      return start;
    case 'rate':
      return start + (index * 1000) / pace.perSecond;
    case 'speedup':
      return start + sinceFirstMs / pace.factor;
  }
}
