import { createKafka, createLogger, KafkaClientNames } from '@ride/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  groupCoordinator,
  type LocalClusterHandle,
  startLocalCluster,
  uniqueName,
} from '../../harness/index.js';
import { consumeMessages } from '../support/consume-messages.js';
import { disconnectAfterTest } from '../support/test-kafka.js';

// A group's committed offsets and its topic's end offsets must stay readable while the group's coordinator and the
// partitions' leaders move: the scorer's stall watchdog and the exactly-once claim read them. When a node dies, its
// groups and partitions move to other brokers; a read begun at the kill must find them there instead of asking the
// dead node until its retries run out. One cluster for the file; each test brings back the node it killed.
let cluster: LocalClusterHandle;
beforeAll(async () => {
  cluster = await startLocalCluster({ nodes: 3 });
}, 300_000);
afterAll(() => cluster?.stop());

describe.each(KafkaClientNames)('group coordinator moves on a three-node cluster (%s)', (client) => {
  it('answers committed- and end-offset reads begun the moment the coordinator node is SIGKILLed', {
    timeout: 300_000,
  }, async () => {
    const kafka = createKafka(
      { brokers: cluster.brokers, clientId: uniqueName('coordinator'), client },
      createLogger({ level: 'silent' }),
    );
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    const topic = uniqueName('moves');
    await admin.createTopics([{ topic, numPartitions: 3 }]);
    const producer = disconnectAfterTest(kafka.producer());
    await producer.connect();
    const messages = Array.from({ length: 30 }, (_, i) => ({ key: String(i), value: `ride ${i}` }));
    await producer.send([{ topic, messages }]);
    const groupId = uniqueName('moves-group');
    await consumeMessages(kafka, { topic, groupId, count: messages.length, commit: true });
    const before = await admin.committedOffsets(groupId, topic);
    expect([...before.values()].reduce((a, b) => a + b, 0n)).toBe(30n);
    const ends = await admin.endOffsets(topic);

    const coordinator = await groupCoordinator(cluster.brokers, groupId);
    const node = cluster.node(coordinator);
    await node.kill();
    try {
      // Begun while the dead node is still the coordinator the cluster names (until the controller fences it).
      const [after, endsAfter] = await Promise.all([
        admin.committedOffsets(groupId, topic),
        admin.endOffsets(topic),
      ]);
      expect(after).toEqual(before);
      expect(endsAfter).toEqual(ends);
      expect(await groupCoordinator(cluster.brokers, groupId)).not.toBe(coordinator);
    } finally {
      await node.start();
    }
  });
});
