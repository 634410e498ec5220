// autoCommit's offsets, collected while a commit is in flight and sent together: one request at a time.
import type { Logger } from '../../logger.js';
import type { PartitionOffset } from '../port/kafka-port.js';

export class AutoCommit {
  private readonly commit: (offsets: readonly PartitionOffset[]) => Promise<void>;
  private readonly log: Logger;
  private readonly toCommit = new Map<string, PartitionOffset>();
  private committing: Promise<void> | undefined;

  constructor(commit: (offsets: readonly PartitionOffset[]) => Promise<void>, log: Logger) {
    this.commit = commit;
    this.log = log;
  }

  /** Commits `offset` with the next request; starts one when none is in flight. */
  add(offset: PartitionOffset): void {
    this.toCommit.set(`${offset.topic}:${offset.partition}`, offset);
    if (this.committing === undefined) {
      this.committing = this.flush().finally(() => {
        this.committing = undefined;
      });
    }
  }

  /** Waits for the commit in flight, then commits what is left. */
  async drain(): Promise<void> {
    await this.committing;
    await this.flush();
  }

  /** Commits what was collected, one request at a time; a failure is retried with the next batch. */
  private async flush(): Promise<void> {
    while (this.toCommit.size > 0) {
      const offsets = [...this.toCommit.values()];
      this.toCommit.clear();
      try {
        await this.commit(offsets);
      } catch (err) {
        this.log.warn({ err }, 'auto-commit failed');
        return;
      }
    }
  }
}
