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

/** kafkajs's names for a request that never reached its broker (refused, closed, timed out, or a node it no longer lists). */
const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

/**
 * A heartbeat that could not reach the group's coordinator, given to kafkajs as the broker's NOT_COORDINATOR answer.
 * kafkajs 2.2.4 keeps the coordinator it found at its last join and heartbeats it until its retries run out (about
 * 30 s, then a crash and a restart); on NOT_COORDINATOR (kafkajs's `isRebalancing`, which reads `type`) its runner
 * rejoins at once, looking the coordinator up afresh, as the Java client does when its coordinator disconnects.
 */
export class CoordinatorUnreachable extends Error {
  readonly code = 'RIDE_KAFKA_COORDINATOR_UNREACHABLE';
  readonly type = 'NOT_COORDINATOR_FOR_GROUP';
  readonly retriable = true;
  constructor(cause: Error) {
    super(`the group coordinator is unreachable (${cause.message}): rejoining to find the new one`, {
      cause,
    });
    this.name = 'CoordinatorUnreachable';
  }
}

/** The heartbeat, with an unreachable coordinator reported as CoordinatorUnreachable. */
export function rejoinOnUnreachableCoordinator(heartbeat: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await heartbeat();
    } catch (err) {
      if (err instanceof Error && UNREACHABLE.has(err.name)) throw new CoordinatorUnreachable(err);
      throw err;
    }
  };
}
