import { createTopics } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { consumeMessages } from './harness/consume-messages.js';
import { KAFKA_VERSION } from './harness/index.js';
import { createTestTopic, disconnectAfterTest, testKafka } from './harness/test-kafka.js';
import { uniqueName } from './harness/test-names.js';

// Pins the claim that kafkajs 2.2.4 (classic group protocol only, no KIP-848) works against this Kafka release
// for everything the project uses: admin, produce, consumer groups, and exactly-once read-process-write.
describe(`kafkajs against the harness broker (Kafka ${KAFKA_VERSION} when local)`, () => {
  it('admin: creates topics, reads metadata, and fetches committed group offsets', async () => {
    const kafka = testKafka();
    const topic = uniqueName('admin');
    const admin = await createTestTopic(kafka, topic, 3);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
    expect(await admin.listTopics()).toContain(topic);

    const producer = disconnectAfterTest(kafka.producer());
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    });
    const groupId = uniqueName('group');
    await consumeMessages(kafka, { topic, groupId, count: 2 });

    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offsets?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(2);
    const groups = await admin.describeGroups([groupId]);
    expect(groups.groups[0]?.protocolType).toBe('consumer');
  });

  it('transactions: commit with sendOffsets is visible read_committed, abort is not', async () => {
    const kafka = testKafka();
    const input = uniqueName('tx-in');
    const output = uniqueName('tx-out');
    const admin = await createTestTopic(kafka, input, 1);
    await createTopics(admin, [{ topic: output, numPartitions: 1 }]);
    const groupId = uniqueName('tx-group');

    const plain = disconnectAfterTest(kafka.producer());
    await plain.connect();
    await plain.send({ topic: input, messages: [{ value: 'x' }, { value: 'y' }, { value: 'z' }] });

    const producer = disconnectAfterTest(
      kafka.producer({ transactionalId: uniqueName('tx'), idempotent: true, maxInFlightRequests: 1 }),
    );
    await producer.connect();

    const aborted = await producer.transaction();
    await aborted.send({ topic: output, messages: [{ value: 'aborted' }] });
    await aborted.abort();

    const committed = await producer.transaction();
    await committed.send({ topic: output, messages: [{ value: 'X' }, { value: 'Y' }, { value: 'Z' }] });
    await committed.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic: input, partitions: [{ partition: 0, offset: '3' }] }],
    });
    await committed.commit();

    // The commit returns once the coordinator logged PrepareCommit; the markers that make the offset stable land
    // just after. kafkajs' OffsetFetch predates KIP-447's require_stable, so it reads -1 until then: poll briefly.
    await expect
      .poll(async () => (await admin.fetchOffsets({ groupId, topics: [input] }))[0]?.partitions[0]?.offset, {
        timeout: 10_000,
      })
      .toBe('3');

    // kafkajs consumers read_committed by default: the aborted record and the transaction markers are skipped.
    const received = await consumeMessages(kafka, { topic: output, groupId: uniqueName('reader'), count: 3 });
    expect(received.map((m) => m.value)).toEqual(['X', 'Y', 'Z']);
  });
});
