import { RideProducer, syntheticRides } from '@ride/producer';
import { createKafka, createLogger, KafkaClientNames } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { type LocalClusterHandle, recordCount, uniqueName } from '../../../harness/index.js';
import { tallyTopic } from '../../support/chaos/delivered-ids.js';
import { busiestLeader } from '../../support/cluster-nodes.js';
import { startSending } from '../../support/sending-loop.js';
import { createStreamTopics } from '../../support/stream-topics.js';
import { disconnectAfterTest } from '../../support/test-kafka.js';

// The producer library on a cluster as production runs it (three nodes, RF 3, min ISR 2): when the broker leading
// most of the topic's partitions dies, leadership moves to a replica in sync and every send must follow it. Losing
// one node of three refuses no write, so no batch may fail; idempotence keeps the retries from writing a ride twice.
const quiet = createLogger({ level: 'silent' });

export function producerFailover(clusterOf: () => LocalClusterHandle): void {
  describe.each(KafkaClientNames)('producer library on a three-node cluster (%s)', (client) => {
    it('sends through the death and return of the busiest leader: no batch fails, no ride is written twice', {
      timeout: 600_000,
    }, async () => {
      const cluster = clusterOf();
      const kafka = createKafka(
        { brokers: cluster.brokers, clientId: uniqueName('failover'), client },
        quiet,
      );
      const admin = disconnectAfterTest(kafka.admin());
      await admin.connect();
      const topics = await createStreamTopics(kafka, 6);
      const producer = await RideProducer.connect({
        kafka: { brokers: cluster.brokers, clientId: uniqueName('lib'), client },
        topic: topics.rides,
        logger: quiet,
      });
      const sending = startSending(producer, syntheticRides({ seed: 7 }), 50, 20);
      try {
        await sending.sentAtLeast(1000);
        const node = cluster.node(await busiestLeader(admin, [topics.rides]));
        await node.kill();
        // Sending goes on while the controller fences the dead node and moves its partitions' leadership.
        await cluster.waitForLiveBrokers(2, 60_000);
        await sending.sentAtLeast(sending.sent() + 1000);
        await node.start();
        await sending.sentAtLeast(sending.sent() + 1000);
      } finally {
        await sending.stop();
        await producer.close();
      }
      const sent = sending.sent();
      expect(sending.failed(), sending.lastError()?.stack).toBe(0);
      // Every acknowledged ride is on the topic once: the partitions' end offsets and what a reader finds agree.
      const records = await recordCount(admin, topics.rides);
      const landed = await tallyTopic(kafka, topics.rides, records);
      expect({ records, read: landed.records, duplicates: landed.duplicates }).toEqual({
        records: sent,
        read: sent,
        duplicates: 0,
      });
    });
  });
}
