/**
 * Assigns partition k of every subscribed topic to the same member: partition numbers are dealt to the members, in
 * the order of their ids, in turn. Members that join records of topics keyed alike (the same key and partition count
 * put a ride's records on the same partition number of each) then hold both sides of every join, as Kafka Streams'
 * assignor does for co-partitioned topics. Deterministic: every member computing it gets the same answer.
 */
export function coPartitionedAssignment(
  memberIds: readonly string[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, Map<string, number[]>> {
  const members = [...memberIds].sort();
  const assignment = new Map(members.map((id) => [id, new Map<string, number[]>()]));
  if (members.length === 0) return assignment;
  const topics = [...partitionCounts.keys()].sort();
  const numbers = Math.max(0, ...partitionCounts.values());
  for (let k = 0; k < numbers; k++) {
    const owned = assignment.get(members[k % members.length]!)!;
    for (const topic of topics) {
      if (k >= partitionCounts.get(topic)!) continue;
      const partitions = owned.get(topic) ?? [];
      partitions.push(k);
      owned.set(topic, partitions);
    }
  }
  return assignment;
}

/** The name both adapters give the assignor in JoinGroup (every member of a group must offer the same). */
export const CO_PARTITIONED_ASSIGNOR = 'ride-co-partitioned';
