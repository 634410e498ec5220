// kafkajs heartbeats only when its caller asks: between batches, or through payload.heartbeat() inside one. The
// port's consumers keep their group membership on their own (../port/kafka-port.ts FetchedBatch), so while a batch
// is being handled the adapter asks at the heartbeat interval itself.

/**
 * Heartbeats for one batch. A heartbeat that fails (a rebalance began, the member was fenced, the coordinator is
 * gone) makes the batch stale, so nothing more of it starts, and is thrown once the batch returns: kafkajs then
 * rejoins as when its own heartbeat fails between batches.
 */
export class BatchHeartbeats {
  private readonly timer: NodeJS.Timeout;
  private failure: Error | undefined;
  private beating: Promise<void> | undefined;

  constructor(heartbeat: () => Promise<void>, intervalMs: number) {
    this.timer = setInterval(() => this.beat(heartbeat), intervalMs);
  }

  /** True once a heartbeat failed: the batch is stale. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Stops the heartbeats, waiting for one in flight; throws the failure if a heartbeat failed. */
  async end(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Stops the heartbeats without waiting (the batch failed on its own: its error is the one kafkajs gets). */
  cancel(): void {
    clearInterval(this.timer);
  }

  private beat(heartbeat: () => Promise<void>): void {
    if (this.beating !== undefined || this.failure !== undefined) return;
    this.beating = heartbeat()
      .catch((err: unknown) => {
        this.failure = err instanceof Error ? err : new Error(String(err));
      })
      .finally(() => {
        this.beating = undefined;
      });
  }
}
