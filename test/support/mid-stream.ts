import type { KafkaAdmin } from '@ride/shared';
import { committedOffsets, type Offsets, waitFor } from '../../harness/index.js';

/** Records below `offsets` on `partitions` (every partition listed when omitted); -1 (nothing committed) adds 0. */
export function countBelow(offsets: Offsets, partitions: readonly number[] = [...offsets.keys()]): number {
  return partitions.reduce((n, p) => n + Math.max(offsets.get(p) ?? -1, 0), 0);
}

/**
 * Waits for the moment a "mid-stream" fault means: the group committed some rides on `partitions` (those of the
 * member about to be stopped; all when omitted), so that member really answered rides, yet fewer than `total` in
 * all, so the stream is not over.
 */
export async function waitMidStream(
  admin: KafkaAdmin,
  groupId: string,
  topic: string,
  total: number,
  partitions?: readonly number[],
): Promise<void> {
  let committed: Offsets = new Map();
  await waitFor(
    async () => {
      committed = await committedOffsets(admin, groupId, topic);
      return countBelow(committed, partitions) > 0 && countBelow(committed) < total;
    },
    30_000,
    () =>
      `group ${groupId} never stood mid-stream on ${topic}: committed ${countBelow(committed)} of ${total}` +
      ` (${[...committed].map(([p, o]) => `${p}:${o}`).join(' ')})`,
  );
}
