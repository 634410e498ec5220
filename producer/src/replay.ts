import type { RideStarted } from '@ride/shared';
import type { SendResult } from './ride-producer.js';

/** How fast to replay: a fixed rate, the rides' own pickup pace sped up by a factor, or as fast as possible. */
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
  sendBatch(rides: readonly RideStarted[]): Promise<SendResult>;
}

export interface ReplayOptions {
  pace: Pace;
  /** Largest number of rides per send. */
  batchSize?: number;
  /** Stop after this long even if rides remain. */
  durationMs?: number;
  signal?: AbortSignal;
  onProgress?: (stats: ReplayStats) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

// Waits shorter than this are not worth a timer: the rides go out with the batch being built.
const MIN_SLEEP_MS = 5;

/** Sends rides at the chosen pace. Counts a ride as sent only once the broker acknowledged its batch. */
export async function replay(
  rides: Iterable<RideStarted>,
  sender: BatchSender,
  options: ReplayOptions,
): Promise<ReplayStats> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const batchSize = options.batchSize ?? 500;
  const start = now();
  const deadline = options.durationMs === undefined ? Infinity : start + options.durationMs;
  const stats: ReplayStats = { sent: 0, failed: 0, elapsedMs: 0, rate: 0 };
  let batch: RideStarted[] = [];
  let index = 0;
  let firstPickup: number | undefined;

  const flush = async () => {
    if (batch.length === 0) return;
    const result = await sender.sendBatch(batch);
    batch = [];
    stats.sent += result.sent;
    stats.failed += result.failed;
    stats.elapsedMs = now() - start;
    stats.rate = stats.elapsedMs > 0 ? (stats.sent * 1000) / stats.elapsedMs : 0;
    options.onProgress?.({ ...stats });
  };

  for (const ride of rides) {
    if (options.signal?.aborted || now() >= deadline) break;
    firstPickup ??= ride.pickup_datetime;
    const due = dueAt(options.pace, start, index, ride.pickup_datetime - firstPickup);
    if (due >= deadline) break;
    index++;
    if (due - now() > MIN_SLEEP_MS) {
      await flush();
      const wait = Math.min(due, deadline) - now();
      if (wait > 0) await sleep(wait);
      if (options.signal?.aborted || now() >= deadline) break;
    }
    batch.push(ride);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  stats.elapsedMs = now() - start;
  stats.rate = stats.elapsedMs > 0 ? (stats.sent * 1000) / stats.elapsedMs : 0;
  return stats;
}

function dueAt(pace: Pace, start: number, index: number, sincefirstPickupMs: number): number {
  switch (pace.kind) {
    case 'max':
      return start;
    case 'rate':
      return start + (index * 1000) / pace.perSecond;
    case 'speedup':
      return start + sincefirstPickupMs / pace.factor;
  }
}
