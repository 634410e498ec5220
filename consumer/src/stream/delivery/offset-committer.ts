import type { Logger } from '@ride/shared';

export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read: one past the last record whose outputs were acknowledged. */
  offset: string;
}

/**
 * At-least-once offset commits. Offsets are recorded only after a chunk's outputs were acknowledged and are
 * committed every `intervalMs` (and on stop) rather than after every partition batch, which saves one
 * group-coordinator round trip per batch. With `intervalMs` 0 every recorded offset is committed at once.
 * A crash can replay at most the last interval's outputs (duplicates, never losses); a failed commit is retried.
 */
export class OffsetCommitter {
  private readonly pending = new Map<string, PartitionOffset>();
  private readonly commit: (offsets: PartitionOffset[]) => Promise<void>;
  private readonly intervalMs: number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  /** The flush in flight (or the last one); the next waits for it. */
  private flushing: Promise<void> = Promise.resolve();

  constructor(commit: (offsets: PartitionOffset[]) => Promise<void>, intervalMs: number, logger: Logger) {
    this.commit = commit;
    this.intervalMs = intervalMs;
    this.log = logger.child({ component: 'offset-committer' });
  }

  start(): void {
    if (this.intervalMs > 0) this.timer = setInterval(() => void this.flush(), this.intervalMs).unref();
  }

  /** Records progress; commits it now when there is no interval. */
  async processed(offset: PartitionOffset): Promise<void> {
    this.pending.set(`${offset.topic}:${offset.partition}`, offset);
    if (this.intervalMs === 0) await this.flush();
  }

  /** Forgets progress of partitions this member no longer owns, so it never moves their new owner's offset. */
  retainOnly(topic: string, partitions: readonly number[]): void {
    for (const [key, offset] of this.pending) {
      if (offset.topic === topic && !partitions.includes(offset.partition)) this.pending.delete(key);
    }
  }

  /**
   * Commits what is pending, one commit at a time: a flush while one is in flight waits for it. Commits must land
   * in order. Two in flight can complete out of order when the older one is retried (the client retries a commit
   * for seconds across a broker restart): it then lands last and moves the group's offset back, and a partition with
   * no further records stays behind for good while the member's position is already at its end (issue #11's stall).
   */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.commitPending());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async commitPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    try {
      await this.commit(offsets);
    } catch (err) {
      // Kept for the next flush (newer progress of a partition recorded meanwhile wins): a partition with no
      // further records would otherwise stay behind for good. A rebalance drops those no longer owned (retainOnly).
      for (const offset of offsets) {
        const key = `${offset.topic}:${offset.partition}`;
        if (!this.pending.has(key)) this.pending.set(key, offset);
      }
      this.log.warn({ err, offsets }, 'offset commit failed; retrying at the next flush');
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
