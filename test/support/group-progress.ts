import type { KafkaAdmin } from '@ride/shared';
import { committedOffsets, endOffsets, type Offsets, waitFor } from '../../harness/index.js';

/** A broker mid-restart refuses admin calls: that is the state being waited out, not a failure. */
function despiteRefusals(check: () => Promise<boolean>): () => Promise<boolean> {
  return () => check().catch(() => false);
}
const POLL = { intervalMs: 200 };

/**
 * Waits until every partition made progress after a fault: its committed offset moved past `since`. The stream
 * keeps feeding every partition meanwhile, so an idle, caught-up partition does not count as recovered.
 * Returns the milliseconds from `faultAt` — the recovery time of the table.
 */
export async function waitResumed(
  admin: KafkaAdmin,
  groupId: string,
  topic: string,
  since: Offsets,
  faultAt: number,
  timeoutMs = 90_000,
  /** Count a partition caught up with its log end as recovered: for faults that may stall the producer too. */
  idleCounts = false,
): Promise<number> {
  let stuck: number[] = [];
  let recoveryMs = 0;
  await waitFor(
    despiteRefusals(async () => {
      const [committed, ends] = await Promise.all([
        committedOffsets(admin, groupId, topic),
        endOffsets(admin, topic),
      ]);
      stuck = [...ends.keys()].filter((p) => {
        const c = committed.get(p) ?? -1;
        return c <= (since.get(p) ?? -1) && !(idleCounts && c >= (ends.get(p) ?? 0));
      });
      recoveryMs = Date.now() - faultAt;
      return stuck.length === 0;
    }),
    timeoutMs,
    () => `partitions ${stuck.join(',')} of ${topic} made no progress within ${timeoutMs} ms of the fault`,
    POLL,
  );
  return recoveryMs;
}

/** Waits until any of `partitions` committed past its current offset (the member is really working). */
export async function waitProgress(
  admin: KafkaAdmin,
  groupId: string,
  topic: string,
  partitions: readonly number[],
  timeoutMs = 60_000,
): Promise<void> {
  const start = await committedOffsets(admin, groupId, topic);
  await waitFor(
    despiteRefusals(async () => {
      const now = await committedOffsets(admin, groupId, topic);
      return partitions.some((p) => (now.get(p) ?? -1) > (start.get(p) ?? -1));
    }),
    timeoutMs,
    () => `partitions ${partitions.join(',')} committed nothing within ${timeoutMs} ms`,
    POLL,
  );
}

/** Waits until the group committed every record of the topic (lag zero everywhere). */
export async function waitCaughtUp(
  admin: KafkaAdmin,
  groupId: string,
  topic: string,
  timeoutMs = 120_000,
): Promise<void> {
  let behind: string[] = [];
  await waitFor(
    despiteRefusals(async () => {
      const [committed, ends] = await Promise.all([
        committedOffsets(admin, groupId, topic),
        endOffsets(admin, topic),
      ]);
      behind = [...ends]
        .filter(([p, end]) => end > Math.max(committed.get(p) ?? 0, 0))
        .map(([p, end]) => `partition ${p}: committed ${committed.get(p) ?? -1}, end ${end}`);
      return behind.length === 0;
    }),
    timeoutMs,
    () => `group ${groupId} still behind on ${topic} after ${timeoutMs} ms (${behind.join('; ')})`,
    POLL,
  );
}
