import { describe, expect, it } from 'vitest';
import { committedOffsets, endOffsets, uniqueName, waitFor } from '../../harness/index.js';
import { startConsumer } from '../support/consumer-process.js';
import { checkDelivery } from '../support/delivery-check.js';
import { countBelow, waitMidStream } from '../support/mid-stream.js';
import { runProducer } from '../support/producer-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { disconnectAfterTest, testKafka } from '../support/test-kafka.js';

const partitionsOf = async (c: Awaited<ReturnType<typeof startConsumer>>): Promise<number[]> =>
  JSON.parse((await c.get('/readyz')).body).partitions ?? [];

/** Two members split 6 partitions; one stops mid-stream and the other takes its partitions over, losing nothing. */
async function handOver(env: Record<string, string> = {}): Promise<void> {
  const kafka = testKafka();
  const topics = await createStreamTopics(kafka, 6);
  const group = uniqueName('g');
  const a = await startConsumer(topics, group, env);
  const b = await startConsumer(topics, group, env);
  await waitFor(
    async () => (await partitionsOf(a)).length === 3 && (await partitionsOf(b)).length === 3,
    30_000,
    () => 'the two members never split the partitions 3/3',
  );
  expect([...(await partitionsOf(a)), ...(await partitionsOf(b))].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  const handedOver = await partitionsOf(a);
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();

  const rides = 6000;
  const producing = runProducer(
    ['--synthetic', '--seed', '7', '--limit', String(rides), '--rate', '1500'],
    topics,
  );
  await waitMidStream(admin, group, topics.rides, rides, handedOver);
  expect(await a.stop('SIGTERM')).toBe(0);
  const atStop = await committedOffsets(admin, group, topics.rides);
  await waitFor(
    async () => (await partitionsOf(b)).length === 6,
    30_000,
    () => 'the survivor never took all partitions',
  );
  expect((await producing).code).toBe(0);
  // The stop was mid-stream for a's partitions: b had rides on them left to answer, so a hand-over happened.
  const ends = await endOffsets(admin, topics.rides);
  expect(countBelow(atStop, handedOver)).toBeLessThan(countBelow(ends, handedOver));

  const report = await checkDelivery(kafka, topics, group, rides);
  expect(report.inputs.length).toBe(rides);
  expect(report.lost).toEqual([]);
  expect(report.committedWithoutOutcome).toEqual([]);
  expect(await b.stop('SIGTERM')).toBe(0);
}

describe('consumer group', () => {
  it('splits 6 partitions between two processes and hands them over when one stops, losing nothing', async () => {
    await handOver();
  });

  it('does the same on the KIP-848 group protocol (GROUP_PROTOCOL=consumer, @platformatic/kafka)', async () => {
    await handOver({ KAFKA_CLIENT: 'platformatic', GROUP_PROTOCOL: 'consumer' });
  });

  it('on SIGTERM mid-stream exits 0 with no committed offset lacking its prediction; a restart finishes the rest', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 6);
    const group = uniqueName('g');
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    const first = await startConsumer(topics, group, { MAX_BATCH: '200' });
    const rides = 8000;
    const producing = runProducer(
      ['--synthetic', '--seed', '11', '--limit', String(rides), '--rate', '4000'],
      topics,
    );
    await waitMidStream(admin, group, topics.rides, rides);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toContain('stopped cleanly');
    expect((await producing).code).toBe(0);

    const midway = await checkDelivery(kafka, topics, group, rides);
    expect(midway.committedWithoutOutcome).toEqual([]);
    expect(midway.lost.length).toBeGreaterThan(0); // the stop really happened mid-stream

    const second = await startConsumer(topics, group);
    await waitFor(
      async () => (await checkDelivery(kafka, topics, group, rides)).lost.length === 0,
      60_000,
      () => 'rides still unanswered after restart',
    );
    const end = await checkDelivery(kafka, topics, group, rides);
    expect(end.lost).toEqual([]);
    expect(end.committedWithoutOutcome).toEqual([]);
    // The graceful stop committed everything it had answered, so the restart repeated nothing.
    expect(end.duplicates).toBe(0);
    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('honours SIGTERM during start-up: exits 0 without joining the group', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 1);
    const group = uniqueName('g');
    const consumer = await startConsumer(topics, group, {}, { waitReady: false });
    await waitFor(
      () => consumer.output().includes('model'),
      30_000,
      () => `no start-up log:\n${consumer.output()}`,
    );
    const code = await consumer.stop('SIGTERM');
    expect(consumer.output()).toContain('stopped cleanly');
    expect(code, consumer.output()).toBe(0);
  });
});
