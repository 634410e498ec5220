// What a fetch session keeps per partition it owns, a fetched batch waiting for eachBatch, and that batch as handed
// over.
import type { FetchedBatch, InRecord } from '../port/kafka-port.js';

/** A partition this member owns in one assignment; a new assignment or a seek replaces or bumps it. */
export interface Owned {
  topic: string;
  partition: number;
  key: string;
  /** Next offset to fetch; undefined until the committed offset is read. */
  position: bigint | undefined;
  /** Bumped by a seek: a batch or fetch of an older epoch is stale. */
  epoch: number;
  highWatermark: bigint;
}

/** Fetched records of an owned partition, queued for eachBatch; `next` is the position after them. */
export interface Job {
  owned: Owned;
  epoch: number;
  messages: InRecord[];
  next: bigint;
}

/** What a handed-over batch asks of its session. */
export interface BatchSession {
  running(): boolean;
  /** The partition is still owned under the assignment and seek epoch the batch was fetched in. */
  owns(owned: Owned, epoch: number): boolean;
  /** The coordinator has been silent past the session timeout (../common/session-lease.ts). */
  lapsed(): boolean;
}

/**
 * `job` as eachBatch gets it. A lapsed session makes the batch stale (nothing more of it should be started: this member
 * may have been fenced), but a resolve still moves the position while the partition is owned under the batch's
 * epoch: the caller resolves what it has made durable, and a lapse that ends without a join keeps these positions.
 * (Chaos, broker down 45 s: a transaction committed while the lease had lapsed, its resolve was dropped, and the
 * partition was fetched again from before the batch once the coordinator answered: its outputs committed twice.)
 */
export function handedBatch(job: Job, session: BatchSession): FetchedBatch {
  const { owned, epoch, messages, next } = job;
  const owns = () => session.running() && session.owns(owned, epoch);
  return {
    topic: owned.topic,
    partition: owned.partition,
    messages,
    lag: () => (owned.highWatermark > next ? owned.highWatermark - next : 0n),
    resolveOffset: (offset) => {
      if (owns()) owned.position = BigInt(offset) + 1n;
    },
    isRunning: session.running,
    isStale: () => !owns() || session.lapsed(),
  };
}
