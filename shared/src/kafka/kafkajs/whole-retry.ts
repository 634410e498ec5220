import { retryBackoffMs, type WholeCallRetry } from '../common/whole-call-retry.js';

/**
 * Calls kafkajs gives up on too early, asked again whole. Its reads give up on a partition leader or group coordinator
 * that just died at the first refused connection (ECONNREFUSED), before the cluster has moved them. Its transactions'
 * `sendOffsets` (2.2.4) gives up at once when the group's coordinator moves: the errors it means to retry there are
 * listed as NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE and COORDINATOR_LOAD_IN_PROGRESS, which its own error table
 * names NOT_COORDINATOR_FOR_GROUP, GROUP_COORDINATOR_NOT_AVAILABLE and GROUP_LOAD_IN_PROGRESS. A new call finds the
 * node afresh. kafkajs marks the errors a retry may cure (`retriable`).
 */
export function kafkajsWholeRetry(retries: number): WholeCallRetry {
  return {
    retries,
    delayMs: retryBackoffMs,
    retriable: (err) => (err as { retriable?: unknown } | null)?.retriable === true,
  };
}
