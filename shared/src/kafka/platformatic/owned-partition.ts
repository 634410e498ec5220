// What a fetch session keeps per partition it owns, and a fetched batch waiting for eachBatch.
import type { InRecord } from '../port/kafka-port.js';

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
