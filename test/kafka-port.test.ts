import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BatchConsumer,
  ConfigError,
  type ConsumerSettings,
  createKafka,
  createLogger,
  type FetchedBatch,
  type KafkaClient,
  type KafkaClientName,
  KafkaClientNames,
  type OutRecord,
  type RunOptions,
} from '@ride/shared';
import { describe, expect, inject, it } from 'vitest';
import { uniqueName, waitFor } from '../harness/index.js';
import { collectRecords } from './support/collect-records.js';
import { disconnectAfterTest } from './support/test-kafka.js';

// The port's contract, held by every client behind it, on the real broker: what the product relies on.
const logger = createLogger({ level: 'warn', name: 'test' });

function client(name: KafkaClientName): KafkaClient {
  return createKafka({ brokers: inject('kafkaBrokers'), clientId: uniqueName(name), client: name }, logger);
}

/** The reference client (kafkajs, not the default), used to read what the client under test wrote. */
const reader = () => client('kafkajs');

async function freshTopic(kafka: KafkaClient, partitions: number): Promise<string> {
  const topic = uniqueName('port');
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  expect(await admin.createTopics([{ topic, numPartitions: partitions }])).toBe(true);
  return topic;
}

async function produce(kafka: KafkaClient, topic: string, messages: OutRecord[]): Promise<void> {
  const producer = disconnectAfterTest(kafka.producer());
  await producer.connect();
  await producer.send([{ topic, messages }]);
}

interface Seen {
  partition: number;
  offset: string;
  value: string | null;
}

/** A group member under test: what it was handed, batch by batch, and the assignments 'joined' reported. */
interface Member {
  consumer: BatchConsumer;
  seen: Seen[];
  batches: number;
  joins: Record<string, number[]>[];
  run(): Promise<void>;
}

async function member(
  kafka: KafkaClient,
  topic: string,
  settings: ConsumerSettings,
  run: Partial<RunOptions> & { onBatch?: (batch: FetchedBatch) => void } = {},
): Promise<Member> {
  // Short heartbeats: a rebalance is noticed within one.
  const consumer = disconnectAfterTest(
    kafka.consumer({ sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500, maxWaitMs: 500, ...settings }),
  );
  const m: Member = {
    consumer,
    seen: [],
    batches: 0,
    joins: [],
    run: () =>
      consumer.run({
        ...run,
        eachBatch: async (batch) => {
          m.batches += 1;
          for (const r of batch.messages)
            m.seen.push({ partition: batch.partition, offset: r.offset, value: r.value?.toString() ?? null });
          run.onBatch?.(batch);
          // The whole batch is consumed unless onBatch made it stale (a seek).
          const last = batch.messages.at(-1);
          if (last !== undefined && !batch.isStale()) batch.resolveOffset(last.offset);
        },
      }),
  };
  consumer.on('joined', (assignment) => m.joins.push(assignment));
  await consumer.connect();
  await consumer.subscribe(topic, { fromBeginning: true });
  return m;
}

const offsetsOf = (seen: readonly Seen[], partition = 0) =>
  seen.filter((s) => s.partition === partition).map((s) => Number(s.offset));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

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
      { topic: input, partition: 1, offset: '42', metadata: '{"streamTimeMs":1612137600000}' },
      { topic: input, partition: 0, offset: '7' },
    ]);
    await committed.commit();

    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    // The offsets show once the commit's markers land, a moment after commit() returned (no require_stable here).
    await waitFor(
      async () => {
        const offsets = await admin.committedOffsets(groupId, input);
        return offsets.get(0) === 7n && offsets.get(1) === 42n;
      },
      30_000,
      () => 'the transaction committed offsets 7 and 42 never showed',
    );
    // The position's own note is kept with it; a partition committed without one reads back none.
    const positions = await admin.committedPositions(groupId, input);
    expect(positions.get(1)).toEqual({ offset: 42n, metadata: '{"streamTimeMs":1612137600000}' });
    expect(positions.get(0)?.offset).toBe(7n);
    expect(positions.get(0)?.metadata).toBeNull();
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
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toBeGreaterThan(0);
    // Every partition is led by a live node (on the one-node harness: that node, which is also the controller).
    const leaders = await admin.partitionLeaders(topic);
    expect([...leaders.keys()].sort()).toEqual([0, 1, 2]);
    for (const leader of leaders.values()) expect(leader).toBeGreaterThanOrEqual(0);
  });
});

describe.each(KafkaClientNames)('Kafka port consumer through %s', (name) => {
  it('reads every record of a multi-partition topic in per-partition batches, in order, with keys, headers and nulls', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 3);
    const records: OutRecord[] = range(0, 300).map((i) => ({
      key: `k${i}`,
      value: i % 50 === 3 ? null : `v${i}`,
      headers: { 'x-n': String(i), 'x-rep': ['a', 'b'] },
      partition: i % 3,
    }));
    await produce(kafka, topic, records);
    const headers = new Map<string, string>();
    const keys = new Map<string, string | null>();
    const reader = await member(
      kafka,
      topic,
      { groupId: uniqueName('group') },
      {
        concurrency: 2,
        onBatch: (batch) => {
          for (const r of batch.messages) {
            keys.set(String(r.headers?.['x-n']), r.key?.toString() ?? null);
            const rep = r.headers?.['x-rep'];
            headers.set(
              String(r.headers?.['x-n']),
              Array.isArray(rep) ? rep.map(String).join(',') : String(rep),
            );
          }
        },
      },
    );
    await reader.run();
    await waitFor(
      () => reader.seen.length >= 300,
      60_000,
      () => `${reader.seen.length} of 300 records read`,
    );
    expect(reader.seen).toHaveLength(300);
    for (const p of [0, 1, 2]) expect(offsetsOf(reader.seen, p)).toEqual(range(0, 100));
    const values = reader.seen.map((s) => s.value);
    expect(values.filter((v) => v === null)).toHaveLength(6);
    expect(new Set(values.filter((v) => v !== null))).toEqual(
      new Set(records.filter((r) => r.value !== null).map((r) => r.value)),
    );
    expect(headers.size).toBe(300);
    for (const i of range(0, 300)) expect(keys.get(String(i))).toBe(`k${i}`);
    expect([...new Set(headers.values())]).toEqual(['a,b']);
    // Batches, not one call per record.
    expect(reader.batches).toBeLessThan(100);
  });

  it('commits resolved offsets only through commit(), and a new member of the group starts after them', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 1);
    await produce(
      kafka,
      topic,
      range(0, 10).map((i) => ({ value: `v${i}`, partition: 0 })),
    );
    const groupId = uniqueName('group');
    const first = await member(kafka, topic, { groupId }, {});
    await first.run();
    await waitFor(
      () => first.seen.length >= 10,
      60_000,
      () => `${first.seen.length} of 10 read`,
    );
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    // Everything was resolved and read, nothing committed: commits happen through commit() alone.
    expect((await admin.committedOffsets(groupId, topic)).get(0)).toBe(-1n);
    await first.consumer.commit([{ topic, partition: 0, offset: '6' }]);
    expect((await admin.committedOffsets(groupId, topic)).get(0)).toBe(6n);
    await first.consumer.stop();
    await expect(first.consumer.commit([{ topic, partition: 0, offset: '8' }])).rejects.toMatchObject({
      code: 'RIDE_BROKER_UNAVAILABLE',
    });
    expect((await admin.committedOffsets(groupId, topic)).get(0)).toBe(6n);

    const second = await member(kafka, topic, { groupId });
    await second.run();
    await waitFor(
      () => second.seen.length >= 4,
      60_000,
      () => `${second.seen.length} of 4 read`,
    );
    expect(offsetsOf(second.seen)).toEqual([6, 7, 8, 9]);
  });

  it('re-delivers from the offset a seek names', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 1);
    await produce(
      kafka,
      topic,
      range(0, 5).map((i) => ({ value: `v${i}`, partition: 0 })),
    );
    let sought = false;
    const reader = await member(
      kafka,
      topic,
      { groupId: uniqueName('group') },
      {
        onBatch: (batch) => {
          if (!sought && batch.messages.some((r) => r.offset === '4')) {
            sought = true;
            reader.consumer.seek(topic, 0, '2');
          }
        },
      },
    );
    await reader.run();
    await waitFor(
      () => reader.seen.length >= 8,
      60_000,
      () => `${reader.seen.length} of 8 read`,
    );
    expect(offsetsOf(reader.seen)).toEqual([0, 1, 2, 3, 4, 2, 3, 4]);
  });

  it('continues from its commits when run() is called again after stop()', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 2);
    await produce(
      kafka,
      topic,
      range(0, 10).map((i) => ({ value: `a${i}`, partition: i % 2 })),
    );
    const reader = await member(kafka, topic, { groupId: uniqueName('group') });
    const stopped = new Promise<void>((resolve) => reader.consumer.on('stopped', resolve));
    await reader.run();
    await waitFor(
      () => reader.seen.length >= 10,
      60_000,
      () => `${reader.seen.length} of 10 read`,
    );
    // Positions live in the run; what outlives it is what was committed.
    await reader.consumer.commit([
      { topic, partition: 0, offset: '5' },
      { topic, partition: 1, offset: '5' },
    ]);
    await reader.consumer.stop();
    await stopped;
    await produce(
      kafka,
      topic,
      range(0, 6).map((i) => ({ value: `b${i}`, partition: i % 2 })),
    );
    await reader.run();
    await waitFor(
      () => reader.seen.length >= 16,
      60_000,
      () => `${reader.seen.length} of 16 read`,
    );
    const later = reader.seen.slice(10);
    expect(later.map((s) => s.value?.[0])).toEqual(Array(6).fill('b'));
    expect(offsetsOf(later, 0)).toEqual([5, 6, 7]);
    expect(offsetsOf(later, 1)).toEqual([5, 6, 7]);
  });

  it('splits the partitions between two members, each told its assignment by joined', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 4);
    const groupId = uniqueName('group');
    const a = await member(kafka, topic, { groupId });
    const b = await member(kafka, topic, { groupId });
    await a.run();
    await waitFor(
      () => (a.joins.at(-1)?.[topic] ?? []).length === 4,
      30_000,
      () => `a joined ${JSON.stringify(a.joins)}`,
    );
    await b.run();
    const owned = (m: Member) => [...(m.joins.at(-1)?.[topic] ?? [])];
    await waitFor(
      () => owned(a).length === 2 && owned(b).length === 2,
      60_000,
      () => `a ${JSON.stringify(a.joins)}, b ${JSON.stringify(b.joins)}`,
    );
    expect([...owned(a), ...owned(b)].sort()).toEqual([0, 1, 2, 3]);
    await produce(
      kafka,
      topic,
      range(0, 40).map((i) => ({ value: `v${i}`, partition: i % 4 })),
    );
    await waitFor(
      () => a.seen.length + b.seen.length >= 40,
      60_000,
      () => `${a.seen.length + b.seen.length} read`,
    );
    expect(new Set(a.seen.map((s) => s.partition))).toEqual(new Set(owned(a)));
    expect(new Set(b.seen.map((s) => s.partition))).toEqual(new Set(owned(b)));
  });

  // Three partitions: kafkajs's and @platformatic/kafka's own round-robin assignors split two topics' partition numbers
  // between two members differently (A0 A2 B1 against A1 B0 B2).
  it.each(name === 'platformatic' ? (['classic', 'consumer'] as const) : (['classic'] as const))(
    "gives each member the same partitions of two topics with assignment 'co-partitioned' (%s protocol)",
    async (groupProtocol) => {
      const kafka = client(name);
      const [left, right] = [await freshTopic(kafka, 3), await freshTopic(kafka, 3)];
      const groupId = uniqueName('group');
      const settings = { groupId, groupProtocol, assignment: 'co-partitioned' } as const;
      const a = await member(kafka, left, settings);
      const b = await member(kafka, left, settings);
      for (const m of [a, b]) await m.consumer.subscribe(right, { fromBeginning: true });
      await a.run();
      await b.run();
      const owned = (m: Member, topic: string) => [...(m.joins.at(-1)?.[topic] ?? [])].sort();
      await waitFor(
        () =>
          owned(a, left).length + owned(b, left).length === 3 &&
          owned(a, left).length > 0 &&
          owned(b, left).length > 0,
        60_000,
        () => `a ${JSON.stringify(a.joins)}, b ${JSON.stringify(b.joins)}`,
      );
      await waitFor(
        () => owned(a, right).length + owned(b, right).length === 3,
        30_000,
        () => `a ${JSON.stringify(a.joins)}, b ${JSON.stringify(b.joins)}`,
      );
      expect(owned(a, right)).toEqual(owned(a, left));
      expect(owned(b, right)).toEqual(owned(b, left));
      expect([...owned(a, left), ...owned(b, left)].sort()).toEqual([0, 1, 2]);
    },
  );

  it('hands over nothing after freezing past its session timeout until it has joined the group again', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 2);
    // One record per partition, fetched together: the second batch waits in the member while the first one freezes.
    await produce(kafka, topic, [
      { value: 'p0', partition: 0 },
      { value: 'p1', partition: 1 },
    ]);
    const sessionTimeoutMs = 6_000; // the broker's group.min.session.timeout.ms
    const events: string[] = [];
    const m = await member(
      kafka,
      topic,
      { groupId: uniqueName('group'), sessionTimeoutMs },
      {
        onBatch: (batch) => {
          events.push(`batch ${batch.partition}`);
          if (events.includes('woke')) return;
          // The whole process stands still (as under SIGSTOP or a long pause): no heartbeat goes out, and the
          // coordinator drops the member once its session times out.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sessionTimeoutMs + 2_000);
          events.push('woke');
        },
      },
    );
    m.consumer.on('joined', () => events.push('joined'));
    await m.run();
    await waitFor(
      () => new Set(m.seen.map((s) => s.partition)).size === 2 && events.includes('woke'),
      60_000,
      () => `events ${JSON.stringify(events)}`,
    );
    // The batch fetched before the freeze is not handed over on waking: its partition may be another member's now.
    const afterWaking = events.slice(events.indexOf('woke') + 1);
    const firstBatch = afterWaking.findIndex((e) => e.startsWith('batch'));
    expect(afterWaking.indexOf('joined'), JSON.stringify(events)).toBeGreaterThanOrEqual(0);
    expect(firstBatch, JSON.stringify(events)).toBeGreaterThan(afterWaking.indexOf('joined'));
  });

  it('hides an aborted transaction from read_committed (the default) and shows it to read_uncommitted', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 1);
    const producer = disconnectAfterTest(kafka.transactionalProducer(uniqueName('txn')));
    await producer.connect();
    const aborted = await producer.begin();
    await aborted.send([{ topic, messages: [{ value: 'aborted', partition: 0 }] }]);
    await aborted.abort();
    const committed = await producer.begin();
    await committed.send([{ topic, messages: [{ value: 'committed', partition: 0 }] }]);
    await committed.commit();
    const end = () => disconnectAfterTest(kafka.admin());
    const admin = end();
    await admin.connect();
    // The topic ends after the committed transaction's marker: everything up to it was fetched.
    const endOffset = (await admin.endOffsets(topic)).get(0) ?? 0n;
    const committedReader = await member(kafka, topic, { groupId: uniqueName('group') });
    const uncommittedReader = await member(kafka, topic, {
      groupId: uniqueName('group'),
      readCommitted: false,
    });
    await committedReader.run();
    await uncommittedReader.run();
    await waitFor(
      () => uncommittedReader.seen.length >= 2,
      60_000,
      () => `${uncommittedReader.seen.length} of 2`,
    );
    expect(uncommittedReader.seen.map((s) => s.value)).toEqual(['aborted', 'committed']);
    await waitFor(
      () => committedReader.seen.length >= 1,
      60_000,
      () => 'the committed record',
    );
    expect(committedReader.seen.map((s) => s.value)).toEqual(['committed']);
    expect(endOffset).toBe(4n);
  });

  it('hides an aborted transaction whose abort marker comes in a later fetch than its records', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 1);
    const producer = disconnectAfterTest(kafka.transactionalProducer(uniqueName('txn')));
    await producer.connect();
    // 40 batches of ~1 KB each: with 4 KB per partition and fetch, the marker lands several fetches later.
    const aborted = await producer.begin();
    for (let i = 0; i < 40; i++)
      await aborted.send([
        { topic, messages: [{ value: `aborted-${i}-${'x'.repeat(1000)}`, partition: 0 }] },
      ]);
    await aborted.abort();
    const committed = await producer.begin();
    await committed.send([{ topic, messages: [{ value: 'committed', partition: 0 }] }]);
    await committed.commit();
    const reader = await member(kafka, topic, { groupId: uniqueName('group'), maxBytesPerPartition: 4096 });
    await reader.run();
    await waitFor(
      () => reader.seen.some((s) => s.value === 'committed'),
      60_000,
      () => `the committed record (seen ${reader.seen.length})`,
    );
    expect(reader.seen.map((s) => s.value)).toEqual(['committed']);
    expect(reader.batches).toBeGreaterThan(0);
  });

  it.runIf(name === 'platformatic')('reads through the consumer group protocol (KIP-848)', async () => {
    const kafka = client(name);
    const topic = await freshTopic(kafka, 2);
    await produce(
      kafka,
      topic,
      range(0, 20).map((i) => ({ value: `v${i}`, partition: i % 2 })),
    );
    const reader = await member(kafka, topic, { groupId: uniqueName('group'), groupProtocol: 'consumer' });
    await reader.run();
    await waitFor(
      () => reader.seen.length >= 20,
      60_000,
      () => `${reader.seen.length} of 20 read`,
    );
    expect(offsetsOf(reader.seen, 0)).toEqual(range(0, 10));
    expect(offsetsOf(reader.seen, 1)).toEqual(range(0, 10));
    expect(reader.joins.at(-1)?.[topic]).toEqual([0, 1]);
  });

  it.runIf(name === 'kafkajs')('refuses the consumer group protocol (KIP-848) with a ConfigError', () => {
    const kafka = client(name);
    expect(() => kafka.consumer({ groupId: uniqueName('group'), groupProtocol: 'consumer' })).toThrow(
      ConfigError,
    );
    expect(() => kafka.consumer({ groupId: uniqueName('group'), groupProtocol: 'consumer' })).toThrow(
      /KIP-848/,
    );
    expect(kafka.supportsGroupMetadataFencing).toBe(false);
  });

  it.runIf(name === 'platformatic')(
    'commits offsets in a transaction with the member generation (KIP-447) and refuses a stale generation',
    async () => {
      const kafka = client(name);
      expect(kafka.supportsGroupMetadataFencing).toBe(true);
      const topic = await freshTopic(kafka, 2);
      const output = await freshTopic(kafka, 1);
      const groupId = uniqueName('group');
      const a = await member(kafka, topic, { groupId });
      await a.run();
      await waitFor(
        () => a.joins.length > 0,
        30_000,
        () => 'a never joined',
      );
      const before = a.consumer.groupMetadata?.();
      expect(before).toMatchObject({ groupId });
      expect(before?.generationId).toBeGreaterThan(0);
      const producer = disconnectAfterTest(kafka.transactionalProducer(uniqueName('txn')));
      await producer.connect();
      const txn = await producer.begin();
      await txn.send([{ topic: output, messages: [{ value: 'first', partition: 0 }] }]);
      await txn.sendOffsets(groupId, [{ topic, partition: 0, offset: '3' }], before);
      await txn.commit();
      const admin = disconnectAfterTest(kafka.admin());
      await admin.connect();
      // commit() returns once the transaction is decided; its offset shows once the markers land (either admin
      // reads without require_stable), a moment later on a busy machine.
      const committedBecomes = (offset: bigint) =>
        waitFor(
          async () => (await admin.committedOffsets(groupId, topic)).get(0) === offset,
          30_000,
          () => `the committed offset never became ${offset}`,
        );
      await committedBecomes(3n);

      // A second member makes the group move on: `before` is now a zombie's generation.
      const b = await member(kafka, topic, { groupId });
      await b.run();
      await waitFor(
        () =>
          (a.consumer.groupMetadata?.()?.generationId ?? 0) > (before?.generationId ?? 0) &&
          b.joins.length > 0,
        60_000,
        () => `a at ${JSON.stringify(a.consumer.groupMetadata?.())}, b joins ${b.joins.length}`,
      );
      const zombie = await producer.begin();
      await zombie.send([{ topic: output, messages: [{ value: 'zombie', partition: 0 }] }]);
      // Refused as the group having moved on (ILLEGAL_GENERATION), a code the loop waits on rather than crashing.
      await expect(
        zombie.sendOffsets(groupId, [{ topic, partition: 0, offset: '9' }], before),
      ).rejects.toMatchObject({ code: 'RIDE_GROUP_MOVED_ON', message: expect.stringMatching(/generation/i) });
      await zombie.abort();
      expect((await admin.committedOffsets(groupId, topic)).get(0)).toBe(3n);
      // The current generation is accepted.
      const current = await producer.begin();
      await current.sendOffsets(
        groupId,
        [{ topic, partition: 0, offset: '5' }],
        a.consumer.groupMetadata?.(),
      );
      await current.commit();
      await committedBecomes(5n);
    },
  );
  it.runIf(name === 'platformatic')(
    'starts a partition only once the open transaction committing its offset ended (KIP-447 require_stable)',
    async () => {
      const kafka = client(name);
      const topic = await freshTopic(kafka, 1);
      const groupId = uniqueName('group');
      await produce(
        kafka,
        topic,
        range(0, 5).map((i) => ({ value: `v${i}`, partition: 0 })),
      );
      const producer = disconnectAfterTest(kafka.transactionalProducer(uniqueName('txn')));
      await producer.connect();
      const earlier = await producer.begin();
      await earlier.sendOffsets(groupId, [{ topic, partition: 0, offset: '2' }], undefined);
      await earlier.commit();
      const open = await producer.begin();
      await open.send([{ topic, messages: range(5, 8).map((i) => ({ value: `t${i}`, partition: 0 })) }]);
      await open.sendOffsets(groupId, [{ topic, partition: 0, offset: '5' }], undefined);

      const firstBatches: number[] = [];
      const m = await member(
        kafka,
        topic,
        { groupId },
        { onBatch: (b) => firstBatches.push(Number(b.messages[0]?.offset)) },
      );
      await m.run();
      await waitFor(
        () => m.joins.length > 0,
        30_000,
        () => 'the member never joined',
      );
      // The window: 3 s after the join. A member that read the older offset (2) would have been handed offsets
      // 2-4, committed and below the open transaction, within its first fetch (maxWaitMs 500).
      await sleep(3000);
      expect(m.seen).toEqual([]);
      await open.commit();
      await waitFor(
        () => m.seen.length >= 3,
        30_000,
        () => `${m.seen.length} of 3 read`,
      );
      expect(firstBatches[0]).toBe(5);
      expect(offsetsOf(m.seen)).toEqual([5, 6, 7]);
    },
  );
});
