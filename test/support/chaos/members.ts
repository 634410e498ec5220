import { waitFor } from '../../../harness/index.js';
import type { ConsumerProcess } from '../consumer-process.js';

/** Partitions a consumer process reports on /readyz (none while it is rebalancing or gone). */
export async function partitionsOf(member: ConsumerProcess): Promise<number[]> {
  try {
    const { status, body } = await member.get('/readyz');
    return status === 200 ? ((JSON.parse(body).partitions as number[] | undefined) ?? []) : [];
  } catch {
    return [];
  }
}

/** Waits until the live members own every partition exactly once between them, each at least one. */
export async function waitBalanced(
  members: readonly ConsumerProcess[],
  partitions: number,
  timeoutMs = 60_000,
): Promise<void> {
  let seen: number[][] = [];
  await waitFor(
    async () => {
      seen = await Promise.all(members.map(partitionsOf));
      const all = seen.flat().sort((a, b) => a - b);
      return seen.every((p) => p.length > 0) && all.length === partitions && all.every((p, i) => p === i);
    },
    timeoutMs,
    () => `members never split ${partitions} partitions: ${JSON.stringify(seen)}`,
  );
}
