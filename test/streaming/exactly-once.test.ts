import { describe, expect, it } from 'vitest';
import { committedOffsets, uniqueName, waitFor } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import { checkDelivery } from '../support/delivery-check.js';
import { countBelow, waitMidStream } from '../support/mid-stream.js';
import { runProducer } from '../support/producer-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { disconnectAfterTest, testKafka } from '../support/test-kafka.js';

describe('exactly-once mode', () => {
  it('commits predictions and offsets together: a consumer killed mid-stream leaves no duplicate for read_committed readers', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 3);
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    const group = uniqueName('g');
    const env = {
      PROCESSING_GUARANTEE: 'exactly_once',
      MAX_BATCH: '100',
      SESSION_TIMEOUT_MS: '8000',
      HEARTBEAT_INTERVAL_MS: '1000',
    };
    const rides = 5000;
    const first = await startConsumer(topics, group, env);
    const producing = runProducer(
      ['--synthetic', '--seed', '5', '--limit', String(rides), '--rate', '2500'],
      topics,
    );
    await waitMidStream(admin, group, topics.rides, rides);
    await first.stop('SIGKILL');
    // Killed mid-stream: it had committed transactions (the wait) and left rides for the second consumer.
    expect(countBelow(await committedOffsets(admin, group, topics.rides))).toBeLessThan(rides);
    expect((await producing).code).toBe(0);

    const second = await startConsumer(topics, group, env);
    await waitFor(
      async () =>
        (await collectRecords(kafka, topics.predictions, { isolation: 'read_committed', quietMs: 1000 }))
          .length >= rides,
      90_000,
      () => 'predictions never caught up after the restart',
    );
    const committed = await collectRecords(kafka, topics.predictions, {
      isolation: 'read_committed',
      quietMs: 1500,
    });
    const keys = committed.map((r) => r.key);
    expect(new Set(keys).size).toBe(rides);
    expect(keys.length).toBe(rides);

    const report = await checkDelivery(kafka, topics, group, rides);
    expect(report.lost).toEqual([]);
    expect(report.committedWithoutOutcome).toEqual([]);
    expect(await second.stop('SIGTERM')).toBe(0);
  });
});
