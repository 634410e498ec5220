import type { Logger } from '../../logger.js';
import { retryBackoffMs } from './whole-call-retry.js';

/**
 * Closes a group member's client, and keeps trying in the background when the first close fails.
 *
 * @platformatic/kafka 2.12.1 leaves the group first and, when LeaveGroup fails (the coordinator cannot write: a
 * cluster below min ISR), stays open: its join or heartbeat in flight goes on, so the member stays in the group and
 * is assigned partitions that nobody fetches (cluster chaos, two brokers down: two of six partitions held for
 * minutes by a client its session had dropped). Until a close succeeds, the member is told apart from a live one
 * only by the coordinator: so the close is tried again, `retryBackoffMs` apart, until it succeeds.
 * Resolves after the first attempt; `settled` after the last.
 */
export async function closeUntilClosed(
  close: () => Promise<void>,
  log: Logger,
  // Unref'd: a process shutting down does not wait for a coordinator that may never answer.
  wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms).unref()),
): Promise<{ settled: Promise<void> }> {
  try {
    await close();
    return { settled: Promise.resolve() };
  } catch (err) {
    log.warn({ err }, 'leaving the group failed: closing the client again in the background');
  }
  const settled = (async () => {
    for (let attempt = 1; ; attempt++) {
      await wait(retryBackoffMs(attempt));
      try {
        await close();
        log.info({ attempts: attempt + 1 }, 'left the group and closed the client');
        return;
      } catch {
        // still refused: the coordinator cannot write yet
      }
    }
  })();
  return { settled };
}
