import { deferred } from '../../common/deferred.js';

/**
 * The stream loop's recovery epoch: bumped each time the batches in flight are given up (a stall recovery, the
 * client crashing). A batch remembers the epoch it started under; once the epoch moved on, its late results are
 * ignored and its records come again from the committed offsets. Not the group's generation (KIP-447), which
 * belongs to the coordinator and moves at every rebalance.
 */
export class RecoveryEpoch {
  private epoch = 0;
  private abandonment = deferred();

  get current(): number {
    return this.epoch;
  }

  /** Resolves when the batches of the current epoch are given up. */
  get abandoned(): Promise<void> {
    return this.abandonment.promise;
  }

  /** True when a batch started under `epoch` was given up since. */
  isAbandoned(epoch: number): boolean {
    return epoch !== this.epoch;
  }

  abandon(): void {
    this.epoch += 1;
    this.abandonment.resolve();
    this.abandonment = deferred();
  }
}
