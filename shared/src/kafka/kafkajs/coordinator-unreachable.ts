// kafkajs 2.2.4 keeps the group coordinator it found at its last join and heartbeats it until its retries run out
// (then it crashes, and restarts the whole consumer); the Java client marks its coordinator
// unknown when the connection drops and looks it up again. A heartbeat that cannot reach its broker is given to
// kafkajs as the broker's NOT_COORDINATOR answer instead: on that (kafkajs's `isRebalancing`, which reads `type`) its
// runner rejoins at once, looking the coordinator up afresh.
import { createRequire } from 'node:module';

/** kafkajs's names for a request that never reached its broker (refused, closed, timed out, or a node it no longer lists). */
const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

/** A heartbeat that could not reach the group's coordinator, given to kafkajs as the broker's NOT_COORDINATOR answer. */
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

/** kafkajs's consumer group (src/consumer/consumerGroup.js), as far as the heartbeat goes. */
interface KafkajsConsumerGroup {
  prototype: { heartbeat(this: unknown, options: { interval: number }): Promise<void> };
}

let installed = false;

/**
 * Routes every group heartbeat kafkajs sends through rejoinOnUnreachableCoordinator: its runner's own (between
 * fetches, when a fetch came back empty, and after each batch) as well as the adapter's inside a batch. kafkajs calls
 * them all through its consumer group's heartbeat(), which no option reaches; the one place to wrap is its prototype.
 * Idempotent. Throws at start when the kafkajs installed no longer has that method (a kafkajs other than 2.2.x).
 */
export function rejoinWhenCoordinatorUnreachable(): void {
  if (installed) return;
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  const group = require('kafkajs/src/consumer/consumerGroup.js') as KafkajsConsumerGroup;
  const heartbeat = group.prototype?.heartbeat;
  if (typeof heartbeat !== 'function') {
    throw new Error(
      `kafkajs ${version} has no consumer group heartbeat() to wrap (src/consumer/consumerGroup.js): the kafkajs ` +
        'adapter is written for kafkajs 2.2.x; install that version or use KAFKA_CLIENT=platformatic',
    );
  }
  group.prototype.heartbeat = function (this: unknown, options: { interval: number }): Promise<void> {
    return rejoinOnUnreachableCoordinator(() => heartbeat.call(this, options))();
  };
  installed = true;
}
