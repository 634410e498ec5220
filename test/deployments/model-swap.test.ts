import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePrediction, ErrorCodes } from '@ride/shared';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startMlflowServer, uniqueName, waitFor } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import { copyModel, MODEL_100 } from '../support/model-versions.js';
import { runProducer } from '../support/producer-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { testKafka } from '../support/test-kafka.js';
import { tripFile } from '../support/trip-file.js';

const RIDES = 20_000;
const RATE = 500;

describe('live model swap from the MLflow registry', () => {
  it('follows champion to a new version mid-stream with nothing lost, then refuses a corrupt version', {
    timeout: 600_000,
  }, async () => {
    const root = await mkdtemp(join(tmpdir(), 'ride-swap-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const mlflow = await startMlflowServer();
    onTestFinished(() => mlflow.stop());
    const next = await copyModel(root, '1.0.1');
    const corrupt = await copyModel(root, '1.0.2', { corrupt: true });
    await mlflow.register([MODEL_100, next.dir, corrupt.dir], 'champion');
    await mlflow.setAlias('ride-duration', 'champion', '1');

    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 3);
    const consumer = await startConsumer(topics, uniqueName('g'), {
      MODEL_PATH: 'models:/ride-duration@champion',
      MLFLOW_TRACKING_URI: mlflow.url,
      MODEL_CACHE_DIR: join(root, 'cache'),
      MODEL_POLL_INTERVAL_MS: '200',
      MAX_BATCH: '100',
    });
    const metric = async (pattern: RegExp) =>
      Number(pattern.exec((await consumer.get('/metrics')).body)?.[1] ?? 0);
    const produced = runProducer(
      [
        '--file',
        tripFile('green_tripdata_2021-02.parquet'),
        '--limit',
        String(RIDES),
        '--rate',
        String(RATE),
      ],
      topics,
    );
    let producerDone = false;
    void produced.then(() => {
      producerDone = true;
    });
    const predictions = /ride_predictions_out_total\{model_version="[^"]+"\} (\d+)/;
    await waitFor(async () => (await metric(predictions)) >= 2_000, 60_000, consumer.output);

    const moved = performance.now();
    await mlflow.setAlias('ride-duration', 'champion', '2');
    await waitFor(
      async () => (await metric(/ride_model_swaps_total\{result="swapped"\} (\d+)/)) === 1,
      30_000,
      consumer.output,
    );
    const followMs = Math.round(performance.now() - moved);
    await mlflow.setAlias('ride-duration', 'champion', '3');
    await waitFor(
      async () => (await metric(/ride_model_swaps_total\{result="refused"\} (\d+)/)) === 1,
      30_000,
      consumer.output,
    );
    // Both happened while rides were still streaming in.
    expect(producerDone).toBe(false);
    const afterRefusal = await metric(/ride_predictions_out_total\{model_version="1.0.1"\} (\d+)/);

    const run = await produced;
    expect(run.code, run.output).toBe(0);
    const records = await collectRecords(kafka, topics.predictions, { count: RIDES });
    const settled = await collectRecords(kafka, topics.predictions, { quietMs: 1500 });
    expect(records.length).toBe(RIDES);
    expect(settled.length).toBe(RIDES);

    const decoded = settled.map((r) => ({ ...r, p: decodePrediction(r.value!, r.headers['content-type']) }));
    expect(new Set(decoded.map((d) => d.p.ride_id)).size).toBe(RIDES);
    expect(new Set(decoded.map((d) => d.p.version))).toEqual(new Set(['1.0.0', '1.0.1']));
    // The refused model never served, and the old one kept serving after the refusal.
    expect(await metric(/ride_predictions_out_total\{model_version="1.0.1"\} (\d+)/)).toBeGreaterThan(
      afterRefusal,
    );

    // In each partition's order, one switch from 1.0.0 to 1.0.1 and never back.
    const pauses: number[] = [];
    const gaps: number[] = [];
    for (const partition of [0, 1, 2]) {
      const seq = decoded
        .filter((d) => d.partition === partition)
        .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
      const switches = seq.filter((d, i) => i > 0 && d.p.version !== seq[i - 1]!.p.version);
      expect(switches.map((d) => d.p.version)).toEqual(['1.0.1']);
      const at = seq.indexOf(switches[0]!);
      pauses.push(seq[at]!.p.scored_at - seq[at - 1]!.p.scored_at);
      seq.forEach((d, i) => {
        if (i > 0 && i !== at) gaps.push(d.p.scored_at - seq[i - 1]!.p.scored_at);
      });
    }
    // The new model is loaded and validated on the consumer's own event loop before the swap, so the batch
    // right after it may wait; bounded loosely here (a shared 2-core CI box), the figures are printed.
    gaps.sort((a, b) => a - b);
    const p99 = gaps[Math.floor(gaps.length * 0.99)]!;
    expect(Math.max(...pauses)).toBeLessThan(5_000);
    const loadMs = /"loadMs":(\d+)/.exec(consumer.output())?.[1];
    console.warn(
      `[model-swap] alias move → swapped in ${followMs} ms (download+load+validate ${loadMs} ms); ` +
        `scored_at gap across the switch per partition: ${pauses.join(', ')} ms; ` +
        `other gaps between consecutive predictions: p99 ${p99} ms, max ${gaps.at(-1)} ms`,
    );

    const logs = consumer.output();
    expect(logs).toContain('model swapped: the next batch uses it');
    expect(logs).toContain('new model refused');
    expect(logs).toContain(ErrorCodes.MODEL_CHECKSUM_MISMATCH);
    expect(await collectRecords(kafka, topics.deadLetters, { quietMs: 500 })).toEqual([]);
    expect(await consumer.stop()).toBe(0);
  });
});
