import {
  createKafka,
  createLogger,
  type KafkaClient,
  type KafkaClientName,
  KafkaClientNames,
  type OutRecord,
} from '@ride/shared';
import { describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../harness/index.js';
import { collectRecords } from './support/collect-records.js';
import { disconnectAfterTest } from './support/test-kafka.js';

// The port's contract, held by every client behind it, on the real broker: what the product relies on.
const logger = createLogger({ level: 'warn', name: 'test' });

function client(name: KafkaClientName): KafkaClient {
  return createKafka({ brokers: inject('kafkaBrokers'), clientId: uniqueName(name), client: name }, logger);
}

/** The default client (kafkajs), used to read what the client under test wrote. */
const reader = () => client('kafkajs');

async function freshTopic(kafka: KafkaClient, partitions: number): Promise<string> {
  const topic = uniqueName('port');
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  expect(await admin.createTopics([{ topic, numPartitions: partitions }])).toBe(true);
  return topic;
}

describe.each(KafkaClientNames)('Kafka port through %s', (name) => {
  it('produces keyed records onto the Java client partitions, with headers, timestamps and null values', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 6);
    const producer = disconnectAfterTest(kafka.producer());
    await producer.connect();
    // Recent timestamps: records older than the broker's retention (7 days) go at its next retention check.
    const base = Date.now() - 60_000;
    const records: OutRecord[] = Array.from({ length: 300 }, (_, i) => ({
      key: `ride-${i}`,
      value: i % 100 === 7 ? null : Buffer.from(`v${i}`),
      headers: { 'x-n': String(i), 'x-bin': Buffer.from([i % 256]) },
      timestamp: String(base + i),
    }));
    await producer.send([{ topic, messages: records.slice(0, 150) }]);
    await producer.send([{ topic, messages: records.slice(150) }], { compression: 'gzip' });
    await producer.send([{ topic, messages: [{ key: 'pinned', value: 'to 5', partition: 5 }] }]);

    const got = await collectRecords(reader(), topic, { count: 301 });
    expect(got).toHaveLength(301);
    const byKey = new Map(got.map((r) => [r.key, r]));
    expect(byKey.get('pinned')?.partition).toBe(5);
    // The same keys written by kafkajs land on the same partitions (murmur2 masked positive, as Java's).
    const reference = client('kafkajs');
    const refTopic = await freshTopic(reference, 6);
    const refProducer = disconnectAfterTest(reference.producer());
    await refProducer.connect();
    await refProducer.send([{ topic: refTopic, messages: records.map((r) => ({ key: r.key, value: 'x' })) }]);
    const refGot = await collectRecords(reference, refTopic, { count: 300 });
    for (const r of refGot) expect(byKey.get(r.key)?.partition, r.key ?? '').toBe(r.partition);
    for (let i = 0; i < 300; i++) {
      const r = byKey.get(`ride-${i}`)!;
      expect(r.value === null ? null : r.value.toString()).toBe(i % 100 === 7 ? null : `v${i}`);
      expect(r.headers['x-n']).toBe(String(i));
      expect(r.timestamp).toBe(String(base + i));
    }
  });

  it('commits a transaction with consumed offsets, hides an aborted one, and fences an older producer', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 2);
    const input = await freshTopic(kafka, 2);
    const groupId = uniqueName('txn-group');
    const id = uniqueName('txn');
    const first = disconnectAfterTest(kafka.transactionalProducer(id));
    await first.connect();
    // A transaction with nothing in it (how a new owner fences the old one) is fine to abort.
    await (await first.begin()).abort();

    const aborted = await first.begin();
    await aborted.send([{ topic, messages: [{ key: 'a', value: 'aborted', partition: 0 }] }]);
    await aborted.abort();
    const committed = await first.begin();
    await committed.send([{ topic, messages: [{ key: 'c', value: 'committed', partition: 0 }] }]);
    await committed.sendOffsets(groupId, [
      { topic: input, partition: 1, offset: '42' },
      { topic: input, partition: 0, offset: '7' },
    ]);
    await committed.commit();

    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    const offsets = await admin.committedOffsets(groupId, input);
    expect(offsets.get(0)).toBe(7n);
    expect(offsets.get(1)).toBe(42n);
    const visible = await collectRecords(reader(), topic, { isolation: 'read_committed', quietMs: 1500 });
    expect(visible.map((r) => r.value?.toString())).toEqual(['committed']);

    // A second producer of the same id fences the first: its next transaction cannot commit.
    const second = disconnectAfterTest(kafka.transactionalProducer(id));
    await second.connect();
    const open = await first.begin();
    await open.send([{ topic, messages: [{ key: 'z', value: 'zombie', partition: 1 }] }]);
    await (await second.begin()).abort();
    await expect(open.commit()).rejects.toThrow();
    const after = await collectRecords(reader(), topic, { isolation: 'read_committed', quietMs: 1500 });
    expect(after.map((r) => r.value?.toString())).toEqual(['committed']);
  });

  it('reads end offsets, group state and the cluster through the admin', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 3);
    // Idempotent (the default): a plain kafkajs producer retries a whole request when one partition of a topic this
    // fresh answers NOT_LEADER, and writes the other partitions' records twice.
    const producer = disconnectAfterTest(kafka.producer());
    await producer.connect();
    await producer.send([{ topic, messages: [0, 0, 2].map((partition) => ({ value: 'x', partition })) }]);
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    expect(await admin.createTopics([{ topic, numPartitions: 3 }])).toBe(false);
    expect([...(await admin.endOffsets(topic))].sort()).toEqual([
      [0, 2n],
      [1, 0n],
      [2, 1n],
    ]);
    expect(await admin.listTopics()).toContain(topic);
    const none = await admin.committedOffsets(uniqueName('nobody'), topic);
    expect([...none.values()]).toEqual([-1n, -1n, -1n]);
    expect((await admin.describeGroup(uniqueName('nobody'))).members).toBe(0);
    expect((await admin.describeCluster()).brokers).toBeGreaterThan(0);
  });
});
