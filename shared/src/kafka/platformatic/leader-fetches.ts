// The Fetch requests of a session's next round: one per partition leader, for all its owned partitions.
import type { Consumer } from '@platformatic/kafka';
import type { Owned } from './owned-partition.js';

type Client = Consumer<Buffer, Buffer, Buffer, Buffer>;
type ClusterMetadata = Awaited<ReturnType<Client['metadata']>>;
export type FetchRequestTopic = Parameters<Client['fetch']>[0]['topics'][number];

/** One leader's Fetch: its request topics, topic names by the ids the response carries, the partitions asked. */
export interface LeaderFetch {
  node: number;
  topics: FetchRequestTopic[];
  ids: Map<string, string>;
  list: Owned[];
}

/**
 * The fetches of the `ready` partitions by leader, leaving out a leader with a fetch in flight (`fetching`) or a
 * partition still held by its batches (`busy`): kafkajs's rhythm, one fetch per leader once its previous fetch's
 * batches are done. A partition fetched on its own while the others are handled would wait behind their long poll
 * (maxWaitMs): the broker answers one request per connection at a time.
 */
export function leaderFetches(
  ready: readonly Owned[],
  metadata: ClusterMetadata,
  fetching: ReadonlySet<number>,
  busy: ReadonlySet<string>,
  partitionMaxBytes: number,
): LeaderFetch[] {
  const byNode = new Map<number, Owned[]>();
  const held = new Set<number>(fetching);
  for (const owned of ready) {
    const leader = metadata.topics.get(owned.topic)?.partitions[owned.partition]?.leader ?? -1;
    if (leader < 0) continue;
    if (busy.has(owned.key)) held.add(leader);
    byNode.set(leader, [...(byNode.get(leader) ?? []), owned]);
  }
  for (const node of held) byNode.delete(node);
  const fetches: LeaderFetch[] = [];
  for (const [node, list] of byNode) {
    const topics: FetchRequestTopic[] = [];
    const ids = new Map<string, string>();
    for (const owned of list) {
      const id = metadata.topics.get(owned.topic)?.id ?? owned.topic;
      ids.set(id, owned.topic);
      let topic = topics.find((t) => t.topicId === id);
      if (topic === undefined) {
        topic = { topicId: id, partitions: [] };
        topics.push(topic);
      }
      topic.partitions.push({
        partition: owned.partition,
        fetchOffset: owned.position as bigint,
        partitionMaxBytes,
        currentLeaderEpoch: -1,
        lastFetchedEpoch: -1,
      });
    }
    fetches.push({ node, topics, ids, list });
  }
  return fetches;
}
