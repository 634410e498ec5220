import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePrediction } from '@ride/shared';
import { describe, expect, it, onTestFinished } from 'vitest';
import { uniqueName } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import { copyModel } from '../support/model-versions.js';
import { runProducer } from '../support/producer-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { createTestTopic, testKafka } from '../support/test-kafka.js';

const RIDES = 2_000;

describe('shadow scoring', () => {
  it('scores every ride with the shadow model too, to the shadow topic, leaving the primary stream as it was', {
    timeout: 180_000,
  }, async () => {
    const root = await mkdtemp(join(tmpdir(), 'ride-shadow-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    // The same weights under another version: every shadow prediction must equal its primary twin.
    const shadowModel = await copyModel(root, '1.1.0-shadow');
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 3);
    const shadowTopic = `${topics.rides}.shadow`;
    await createTestTopic(kafka, shadowTopic, 3);
    const consumer = await startConsumer(topics, uniqueName('g'), {
      SHADOW_MODEL_PATH: shadowModel.dir,
      SHADOW_TOPIC: shadowTopic,
      MAX_BATCH: '250',
    });
    const run = await runProducer(['--synthetic', '--seed', '11', '--limit', String(RIDES)], topics);
    expect(run.code, run.output).toBe(0);

    const primary = await collectRecords(kafka, topics.predictions, { count: RIDES, timeoutMs: 60_000 });
    const shadow = await collectRecords(kafka, shadowTopic, { count: RIDES, timeoutMs: 60_000 });
    const decode = (records: typeof primary) =>
      new Map(records.map((r) => [r.key, decodePrediction(r.value!, r.headers['content-type'])]));
    const primaryById = decode(primary);
    const shadowById = decode(shadow);
    expect(primaryById.size).toBe(RIDES);
    expect(shadowById.size).toBe(RIDES);
    for (const [id, p] of primaryById) {
      expect(p.version).toBe('1.0.0');
      const twin = shadowById.get(id);
      expect(twin?.version).toBe('1.1.0-shadow');
      expect(twin?.ride_duration).toBe(p.ride_duration);
    }
    const metrics = (await consumer.get('/metrics')).body;
    expect(metrics).toContain(`ride_shadow_predictions_total{model_version="1.1.0-shadow"} ${RIDES}`);
    expect(metrics).toMatch(/ride_shadow_abs_diff_minutes_count \d+/);
    expect(metrics).toContain('ride_shadow_abs_diff_minutes_sum 0');
    expect(metrics).toContain('ride_shadow_failures_total 0');
    expect(await consumer.stop('SIGTERM')).toBe(0);
  });

  it('refuses to start with a shadow model that does not load, naming it', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 1);
    const consumer = await startConsumer(
      topics,
      uniqueName('g'),
      { SHADOW_MODEL_PATH: join(tmpdir(), 'no-such-shadow-model') },
      { waitReady: false },
    );
    expect(await consumer.exited).toBe(3);
    expect(consumer.output()).toContain('no-such-shadow-model');
  });
});
