import type { SendResult } from '@ride/producer';
import type { RideStarted } from '@ride/shared';
import { waitFor } from '../../harness/index.js';

export interface SendingLoop {
  /** Rides acknowledged so far, and rides in batches reported failed. */
  sent(): number;
  failed(): number;
  lastError(): Error | undefined;
  /** Waits until at least `n` rides were acknowledged; the message says what failed meanwhile. */
  sentAtLeast(n: number, timeoutMs?: number): Promise<void>;
  /** Stops after the batch in flight. */
  stop(): Promise<void>;
}

/** The producer library under a fault: batches of `batchSize` rides, one after another, `pauseMs` apart. */
export function startSending(
  producer: { sendBatch(rides: readonly RideStarted[]): Promise<SendResult> },
  rides: Iterator<RideStarted>,
  batchSize: number,
  pauseMs: number,
): SendingLoop {
  let sent = 0;
  let failed = 0;
  let lastError: Error | undefined;
  let sending = true;
  const loop = (async () => {
    while (sending) {
      const result = await producer.sendBatch(Array.from({ length: batchSize }, () => rides.next().value!));
      sent += result.sent;
      failed += result.failed;
      lastError = result.error ?? lastError;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  })();
  return {
    sent: () => sent,
    failed: () => failed,
    lastError: () => lastError,
    sentAtLeast: (n, timeoutMs = 120_000) =>
      waitFor(
        () => sent >= n,
        timeoutMs,
        () => `sent ${sent} (< ${n}), failed ${failed}; last error: ${lastError?.message ?? 'none'}`,
      ),
    stop: async () => {
      sending = false;
      await loop;
    },
  };
}
