import { DEFAULT_KAFKA_CLIENT } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { KAFKA_VERSION, uniqueName } from '../harness/index.js';
import { consumeMessages } from './support/consume-messages.js';
import { createTestTopic, disconnectAfterTest, testClient, testKafka } from './support/test-kafka.js';

// Pins the claim that the run's client (the default, or KAFKA_CLIENT's) works against this Kafka release for
// everything the project uses: admin (kafkajs 2.2.4 with either), produce, consumer groups, and exactly-once
// read-process-write.
const client = testClient().client ?? DEFAULT_KAFKA_CLIENT;
describe(`${client} against the harness broker (Kafka ${KAFKA_VERSION} when local)`, () => {
  it('admin: creates topics, reads metadata, and fetches committed group offsets', async () => {
    const kafka = testKafka();
    const topic = uniqueName('admin');
    const admin = await createTestTopic(kafka, topic, 3);
    expect(await admin.listTopics()).toContain(topic);

    const producer = disconnectAfterTest(kafka.producer());
    await producer.connect();
    await producer.send([
      {
        topic,
        messages: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      },
    ]);
    const groupId = uniqueName('group');
    await consumeMessages(kafka, { topic, groupId, count: 2, commit: true });

    // Asked once records went through: a partition's leader can answer NOT_LEADER to ListOffsets for a moment after
    // its topic is created (KRaft), although metadata already names it.
    expect((await admin.endOffsets(topic)).size).toBe(3);
    const offsets = await admin.committedOffsets(groupId, topic);
    const committed = [...offsets.values()].reduce((sum, offset) => sum + (offset > 0n ? offset : 0n), 0n);
    expect(committed).toBe(2n);
    // The group is known to the coordinator and its member left cleanly when the consumer stopped.
    expect(await admin.describeGroup(groupId)).toEqual({ state: 'Empty', members: 0 });
  });

  it('transactions: commit with sendOffsets is visible read_committed, abort is not', async () => {
    const kafka = testKafka();
    const input = uniqueName('tx-in');
    const output = uniqueName('tx-out');
    const admin = await createTestTopic(kafka, input, 1);
    await admin.createTopics([{ topic: output, numPartitions: 1 }]);
    const groupId = uniqueName('tx-group');

    const plain = disconnectAfterTest(kafka.producer());
    await plain.connect();
    await plain.send([{ topic: input, messages: [{ value: 'x' }, { value: 'y' }, { value: 'z' }] }]);

    const producer = disconnectAfterTest(kafka.transactionalProducer(uniqueName('tx')));
    await producer.connect();

    const aborted = await producer.begin();
    await aborted.send([{ topic: output, messages: [{ value: 'aborted' }] }]);
    await aborted.abort();

    const committed = await producer.begin();
    await committed.send([{ topic: output, messages: [{ value: 'X' }, { value: 'Y' }, { value: 'Z' }] }]);
    await committed.sendOffsets(groupId, [{ topic: input, partition: 0, offset: '3' }]);
    await committed.commit();

    // The commit returns once the coordinator logged PrepareCommit; the markers that make the offset stable land
    // just after. kafkajs' OffsetFetch predates KIP-447's require_stable, so it reads -1 until then: poll briefly.
    await expect
      .poll(async () => (await admin.committedOffsets(groupId, input)).get(0), { timeout: 10_000 })
      .toBe(3n);

    // kafkajs consumers read_committed by default: the aborted record and the transaction markers are skipped.
    const received = await consumeMessages(kafka, { topic: output, groupId: uniqueName('reader'), count: 3 });
    expect(received.map((m) => m.value)).toEqual(['X', 'Y', 'Z']);
  });
});
