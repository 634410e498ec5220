import { createKafka, createLogger } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { KAFKA_VERSION, type LocalClusterHandle, uniqueName, waitFor } from '../../../harness/index.js';
import { disconnectAfterTest, testClient } from '../../support/test-kafka.js';

// Exactly-once rests on the broker: a committed transaction's marker must reach every partition it wrote, even one
// whose every replica was offline when the commit came. Kafka 4.3.0 to 4.4.0 skip that marker as if the partition
// had been deleted (KAFKA-20734): the partition's last stable offset then never passes the transaction, and every
// read_committed reader of it stops for good. The harness pins a Kafka release that keeps the marker; this test
// fails on one that drops it.
export function transactionMarkers(clusterOf: () => LocalClusterHandle): void {
  describe(`transaction markers on a local cluster (Kafka ${KAFKA_VERSION})`, () => {
    it('reach a partition that was leaderless when its transaction committed', async () => {
      const cluster = clusterOf();
      const kafka = createKafka(
        { brokers: cluster.brokers, clientId: uniqueName('markers'), ...testClient() },
        createLogger({ level: 'silent' }),
      );
      const admin = disconnectAfterTest(kafka.admin());
      await admin.connect();
      // One replica: when its node dies, the partition has no leader at all (RF 3 would elect another).
      const topic = uniqueName('markers');
      await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
      const leader = (await admin.partitionLeaders(topic)).get(0);
      expect(leader).toBeTypeOf('number');
      expect((await admin.describeCluster()).brokers).toBe(3);

      const producer = disconnectAfterTest(kafka.transactionalProducer(uniqueName('markers-txn')));
      await producer.connect();
      const transaction = await producer.begin();
      const rides = 100;
      const messages = Array.from({ length: rides }, (_, i) => ({ key: String(i), value: `ride ${i}` }));
      await transaction.send([{ topic, messages }]);

      const node = cluster.node(leader as number);
      await node.kill();
      // Once the controller fences the dead node (its session timed out), the partition it led has no leader.
      await cluster.waitForLiveBrokers(2, 60_000);
      // The coordinator writes PrepareCommit and answers; the marker for the leaderless partition waits for a leader.
      await transaction.commit();

      await node.start();
      // rides + 1: the records and the commit marker, all stable. A dropped marker leaves it at 0 forever.
      let stable: bigint | undefined;
      await waitFor(
        async () => {
          stable = (await admin.endOffsets(topic).catch(() => undefined))?.get(0);
          return stable === BigInt(rides + 1);
        },
        60_000,
        () =>
          new Error(
            `the last stable offset of ${topic}-0 is ${stable}, not ${rides + 1}: the commit marker never arrived ` +
              '(a hanging transaction; see docs/operations.md)',
          ),
        { intervalMs: 500 },
      );
    });
  });
}
