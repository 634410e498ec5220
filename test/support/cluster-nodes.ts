import type { KafkaAdmin } from '@ride/shared';

/** The node that appears most often (ties: the lowest id); throws `none` when there is no node at all. */
export function mostFrequent(nodes: Iterable<number>, none: string): number {
  const counts = new Map<number, number>();
  for (const node of nodes) counts.set(node, (counts.get(node) ?? 0) + 1);
  const [first] = [...counts].sort(([a, n], [b, m]) => m - n || a - b);
  if (first === undefined) throw new Error(none);
  return first[0];
}

/** The node leading the most partitions of `topics` (ties: the lowest id). */
export async function busiestLeader(admin: KafkaAdmin, topics: readonly string[]): Promise<number> {
  const leaders: number[] = [];
  for (const topic of topics) leaders.push(...(await admin.partitionLeaders(topic)).values());
  return mostFrequent(leaders, `no leader found for ${topics.join(', ')}`);
}
