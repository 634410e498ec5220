import type { OutRecord, TopicRecords } from '../port/kafka-port.js';

/**
 * Where a send's records go, as the client would place them: whether any of their partitions has more than one
 * replica (so its leader can move to another broker), and each message's partition (the client's own partitioner,
 * so a ride lands where it would have).
 */
export interface SendLayout {
  replicated: boolean;
  partitionOf(topic: string, message: OutRecord): number;
}

/**
 * Sends records as one client send per topic partition when their partitions are replicated, and as one send
 * otherwise (a single broker, or topics of one replica, where no leader moves).
 *
 * Both clients group a send's partitions by the leader they had when the send started and keep that grouping
 * through their retries. When a leader dies and its partitions move to different brokers:
 * - @platformatic/kafka 2.12 retries the whole group against the new leader of its first partition, which answers
 *   NOT_LEADER_OR_FOLLOWER for the others until the send fails;
 * - kafkajs 2.2.4 skips, on retry, every broker that has already answered, so a partition that moved to one of them
 *   is never sent and the send still resolves: records acknowledged and not written.
 * One partition per send gives each retry one leader to find. Where no leader can move, the records keep sharing
 * one request.
 */
export async function sendPerPartition(
  records: readonly TopicRecords[],
  layout: SendLayout,
  send: (records: readonly TopicRecords[]) => Promise<unknown>,
): Promise<void> {
  if (!layout.replicated) {
    await send(records);
    return;
  }
  const sends = byPartition(records, layout).map((one) => send([one]));
  // Every send is settled before a failure is reported: the caller must not retry while some are still in flight.
  const failed = (await Promise.allSettled(sends)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** One TopicRecords per topic partition, each message stamped with its partition, in the records' order. */
export function byPartition(records: readonly TopicRecords[], layout: SendLayout): TopicRecords[] {
  const groups = new Map<string, TopicRecords>();
  for (const { topic, messages } of records) {
    for (const message of messages) {
      const partition = message.partition ?? layout.partitionOf(topic, message);
      const id = `${partition}:${topic}`;
      let group = groups.get(id);
      if (group === undefined) {
        group = { topic, messages: [] };
        groups.set(id, group);
      }
      group.messages.push(message.partition === partition ? message : { ...message, partition });
    }
  }
  return [...groups.values()];
}
