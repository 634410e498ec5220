import { createKafka, createLogger, type KafkaClientName, KafkaClientNames } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import {
  electPreferredLeaders,
  groupCoordinator,
  type LocalClusterHandle,
  onPreferredLeaders,
  runKafkaTool,
  transactionCoordinators,
  uniqueName,
  waitFor,
} from '../../../harness/index.js';
import { consumeMessages } from '../../support/consume-messages.js';
import { disconnectAfterTest } from '../../support/test-kafka.js';

/**
 * A transactional producer with an input and an output topic of one partition each, committing as the exactly-once
 * sink does: a chunk's answer (unless `answer` is false) and the input's next offset in one transaction.
 */
async function transactionRig(cluster: LocalClusterHandle, client: KafkaClientName, prefix: string) {
  const kafka = createKafka(
    { brokers: cluster.brokers, clientId: uniqueName(prefix), client },
    createLogger({ level: 'silent' }),
  );
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  const [input, output] = [uniqueName(`${prefix}-in`), uniqueName(`${prefix}-out`)];
  await admin.createTopics([
    { topic: input, numPartitions: 1 },
    { topic: output, numPartitions: 1 },
  ]);
  const groupId = uniqueName(`${prefix}-group`);
  const transactionalId = uniqueName(`${prefix}-txn`);
  const producer = disconnectAfterTest(kafka.transactionalProducer(transactionalId));
  await producer.connect();
  return {
    groupId,
    transactionalId,
    commit: async (next: string, answer = true): Promise<void> => {
      const txn = await producer.begin();
      try {
        if (answer)
          await txn.send([{ topic: output, messages: [{ key: next, value: `answer before ${next}` }] }]);
        await txn.sendOffsets(groupId, [{ topic: input, partition: 0, offset: next }]);
        await txn.commit();
      } catch (err) {
        await txn.abort().catch(() => undefined);
        throw err;
      }
    },
    /** EndTxn returns once the commit is decided; the offsets show once its marker reached the group's log. */
    committedReaches: async (offset: bigint): Promise<void> => {
      let committed: Map<number, bigint> = new Map();
      await waitFor(
        async () => {
          committed = await admin.committedOffsets(groupId, input);
          return committed.get(0) === offset;
        },
        60_000,
        () => `the group's committed offset stayed ${committed.get(0)}, not ${offset}`,
      );
    },
  };
}

// A group's committed offsets and its topic's end offsets must stay readable while the group's coordinator and the
// partitions' leaders move: the scorer's stall watchdog and the exactly-once claim read them. When a node dies, its
// groups and partitions move to other brokers; a read begun at the kill must find them there instead of asking the
// dead node until its retries run out; so must a transaction committing its offsets to the group. Each test brings
// back the node it killed.
export function coordinatorsMove(clusterOf: () => LocalClusterHandle): void {
  describe.each(KafkaClientNames)('group coordinator moves on a three-node cluster (%s)', (client) => {
    it('answers committed- and end-offset reads begun the moment the coordinator node is SIGKILLed', {
      timeout: 300_000,
    }, async () => {
      const cluster = clusterOf();
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

  // kafkajs 2.2.4 keeps the coordinator it found at its last join and heartbeats it until its retries run out, then
  // crashes and restarts; the adapter reports an unreachable coordinator as NOT_COORDINATOR, on which kafkajs rejoins
  // and looks the coordinator up afresh (coordinator-unreachable.ts). The member is idle when its coordinator dies, as
  // members are while producers wait for the dead node to leave their partitions' in-sync replicas: the heartbeat that
  // finds the coordinator gone is then kafkajs's own, between fetches. The input's leader is kept off the coordinator's
  // node: a fetch from a dead leader fails kafkajs's runner the same way, and that is not what this test is about.
  describe('a kafkajs group member when its coordinator dies', () => {
    it('rejoins at the new coordinator instead of crashing when idle', { timeout: 300_000 }, async () => {
      const cluster = clusterOf();
      const kafka = createKafka(
        { brokers: cluster.brokers, clientId: uniqueName('member'), client: 'kafkajs' },
        createLogger({ level: 'silent' }),
      );
      const admin = disconnectAfterTest(kafka.admin());
      await admin.connect();
      const groupId = uniqueName('member-group');
      // The group's coordinator, found once the group exists (it depends on the group id alone).
      const probe = uniqueName('member-probe');
      await admin.createTopics([{ topic: probe, numPartitions: 1 }]);
      const producer = disconnectAfterTest(kafka.producer());
      await producer.connect();
      await producer.send([{ topic: probe, messages: [{ key: 'probe', value: 'probe' }] }]);
      await consumeMessages(kafka, { topic: probe, groupId, count: 1 });
      const coordinator = await groupCoordinator(cluster.brokers, groupId);
      // The input led by another node: the first replica of an explicit assignment leads at creation.
      const others = cluster.nodes.map((n) => n.id).filter((id) => id !== coordinator);
      const topic = uniqueName('member');
      await runKafkaTool('org.apache.kafka.tools.TopicCommand', [
        '--bootstrap-server',
        cluster.brokers.join(','),
        '--create',
        '--topic',
        topic,
        '--replica-assignment',
        [...others, coordinator].join(':'),
      ]);
      await waitFor(
        async () => (await admin.partitionLeaders(topic).catch(() => new Map())).get(0) === others[0],
        30_000,
        () => `${topic} is not led by node ${others[0]}`,
      );

      const consumer = disconnectAfterTest(kafka.consumer({ groupId }));
      const events: string[] = [];
      consumer.on('joined', () => events.push('joined'));
      consumer.on('crashed', () => events.push('crashed'));
      const received = new Set<string>();
      await consumer.connect();
      await consumer.subscribe(topic, { fromBeginning: true });
      await consumer.run({
        eachBatch: async (batch) => {
          for (const message of batch.messages) {
            received.add(String(message.value));
            batch.resolveOffset(message.offset);
          }
        },
      });
      await producer.send([{ topic, messages: [{ key: 'before', value: 'ride before' }] }]);
      try {
        await waitFor(
          () => received.has('ride before') && events.includes('joined'),
          60_000,
          () => 'the member never consumed',
        );
        const before = events.length;
        const node = cluster.node(coordinator);
        await node.kill();
        try {
          await waitFor(
            () => events.length > before,
            120_000,
            () => 'the member neither rejoined nor crashed after its coordinator died',
          );
          expect(events.slice(before)[0]).toBe('joined');
          expect(await groupCoordinator(cluster.brokers, groupId)).not.toBe(coordinator);
          // A ride sent now is taken once the dead node has left the input's in-sync replicas.
          await producer.send([{ topic, messages: [{ key: 'after', value: 'ride after' }] }]);
          await waitFor(
            () => received.has('ride after'),
            60_000,
            () => 'the member consumed nothing after rejoining',
          );
        } finally {
          await node.start();
        }
      } finally {
        await consumer.stop();
      }
    });
  });

  // The default client's adapter sends TxnOffsetCommit itself (txn-offset-commit.ts); kafkajs's sendOffsets gave up at
  // the first NOT_COORDINATOR from a coordinator still taking the group over, and is asked again whole (whole-retry.ts).
  describe.each(KafkaClientNames)('transactions when the group coordinator moves (%s)', (client) => {
    it("commits a transaction's offsets to the group's new coordinator when the one it last used is SIGKILLed", {
      timeout: 300_000,
    }, async () => {
      const cluster = clusterOf();
      const rig = await transactionRig(cluster, client, 'txn');
      // The producer has found the group's coordinator; then that node dies.
      await rig.commit('1');
      const coordinator = await groupCoordinator(cluster.brokers, rig.groupId);
      const node = cluster.node(coordinator);
      await node.kill();
      try {
        await rig.commit('2');
        await rig.committedReaches(2n);
        expect(await groupCoordinator(cluster.brokers, rig.groupId)).not.toBe(coordinator);
      } finally {
        await node.start();
      }
    });
  });

  // A node that was down when the producer last fetched metadata can become a transaction's coordinator again (a rolling
  // restart moves leadership back to returned nodes). The client then asks the coordinator's address in its cached broker
  // list, which only a topic's metadata refreshes: AddOffsetsToTxn, which fetches none, failed with "the broker is not
  // available in the current cluster metadata" until its retries ran out. The adapter clears the cache on that error.
  describe('transactions when the transaction coordinator returns (platformatic)', () => {
    it('commits an offsets-only transaction at a coordinator missing from the cached broker list', {
      timeout: 300_000,
    }, async () => {
      const cluster = clusterOf();
      const rig = await transactionRig(cluster, 'platformatic', 'ret');
      const { transactionalId } = rig;
      await rig.commit('1');
      // Earlier tests moved leadership: put every transaction-log partition back on its preferred replica, so the
      // node coordinating this id now is the one a preferred-leader election brings back after its restart.
      await waitFor(
        async () => {
          // Refused for a partition whose preferred replica is not in sync yet: asked again.
          await electPreferredLeaders(cluster.brokers).catch(() => undefined);
          return onPreferredLeaders(cluster.brokers, '__transaction_state');
        },
        60_000,
        () => 'the transaction log did not return to its preferred leaders',
        { intervalMs: 1000 },
      );
      const first = (await transactionCoordinators(cluster.brokers)).get(transactionalId);
      expect(first).toBeTypeOf('number');
      const node = cluster.node(first as number);
      await node.kill();
      try {
        // The coordinator moves once the controller fences the dead node; a send past the client's 5 s metadata age
        // then fetches a broker list without it.
        await rig.commit('2');
        await new Promise((resolve) => setTimeout(resolve, 6000));
        await rig.commit('3');
      } finally {
        await node.start();
      }
      // The returned node leads the transaction log's partition again, as it did before it died.
      await waitFor(
        async () => {
          // Refused for a partition whose preferred replica is not in sync yet: asked again.
          await electPreferredLeaders(cluster.brokers).catch(() => undefined);
          return (await transactionCoordinators(cluster.brokers)).get(transactionalId) === first;
        },
        60_000,
        () => `node ${first} did not become the coordinator of ${transactionalId} again`,
      );
      // No send, so no topic metadata is fetched before AddOffsetsToTxn asks for the coordinator's address.
      await rig.commit('4', false);
      await rig.committedReaches(4n);
    });
  });
}
