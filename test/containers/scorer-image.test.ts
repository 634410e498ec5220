import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import {
  type BuiltImage,
  type ContainerEngine,
  freePort,
  isReady,
  MODEL_DIR,
  uniqueName,
} from '../../harness/index.js';
import {
  BUILD_TIMEOUT_MS,
  buildImages,
  containerForTest,
  expectNoContainersLeft,
  waitWithLogs,
} from '../support/containers/images.js';
import { checkDelivery } from '../support/delivery-check.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { testClient, testKafka } from '../support/test-kafka.js';

let engine: ContainerEngine;
let scorer: BuiltImage;
let producer: BuiltImage;

beforeAll(async () => {
  ({
    engine,
    images: { scorer, producer },
  } = await buildImages(['scorer', 'producer']));
}, BUILD_TIMEOUT_MS);
afterAll(() => expectNoContainersLeft(engine));

const brokers = () => inject('kafkaBrokers').join(',');
const clientEnv = (): Record<string, string> => {
  const { client } = testClient();
  return client === undefined ? {} : { KAFKA_CLIENT: client };
};

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
  return res === undefined ? { status: 0, body: '' } : { status: res.status, body: await res.text() };
}

/** The predictions the container's /metrics says it published. */
async function predictionsOut(port: number): Promise<number> {
  const { body } = await get(port, '/metrics');
  return Number(/^ride_predictions_out_total(?:\{[^}]*\})? (\d+)/m.exec(body)?.[1] ?? 0);
}

describe('the scorer image, run as a user runs it', () => {
  it('joins the group locked down as uid 1000, scores what the producer image sends, answers health and metrics from outside, drains on SIGTERM', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka);
    const group = uniqueName('g');
    const port = await freePort();
    const started = performance.now();
    const consumer = await containerForTest(engine, {
      image: scorer.tag,
      name: 'scorer',
      locked: true,
      env: {
        KAFKA_BROKERS: brokers(),
        RIDES_TOPIC: topics.rides,
        PREDICTIONS_TOPIC: topics.predictions,
        DLQ_TOPIC: topics.deadLetters,
        CONSUMER_GROUP: group,
        HTTP_PORT: String(port),
        ...clientEnv(),
      },
    });
    await waitWithLogs(consumer, () => isReady(port), 90_000, 'never ready');
    console.warn(
      `[images] scorer container: start to ready ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect((await get(port, '/healthz')).status).toBe(200);
    expect(await consumer.healthy()).toBe(true);
    // The image's user, under the hardening a cluster applies: uid 1000, no effective capability.
    const status = await consumer.exec(['cat', '/proc/1/status']);
    expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    expect(status).toMatch(/^CapEff:\s+0+$/m);

    const rides = 2000;
    const sender = await containerForTest(engine, {
      image: producer.tag,
      name: 'producer',
      locked: true,
      env: { KAFKA_BROKERS: brokers(), RIDES_TOPIC: topics.rides, ...clientEnv() },
      args: ['--synthetic', '--limit', String(rides)],
    });
    expect(await sender.exited(), await sender.logs()).toBe(0);
    await waitWithLogs(
      consumer,
      async () => (await predictionsOut(port)) === rides,
      60_000,
      'not all scored',
    );
    const report = await checkDelivery(kafka, topics, group, rides);
    expect(report.lost).toEqual([]);

    await consumer.signal('SIGTERM');
    expect(await consumer.exited(), await consumer.logs()).toBe(0);
    expect(await consumer.logs()).toContain('stopped cleanly');
  }, 240_000);

  it('stops with exit 3 and names the problem when the model is missing or corrupt', async () => {
    // Readable by the image's uid 1000, as a mounted model volume would be.
    const corrupt = mkdtempSync(join(tmpdir(), 'corrupt-model-'));
    chmodSync(corrupt, 0o755);
    onTestFinished(() => rmSync(corrupt, { recursive: true, force: true }));
    copyFileSync(join(MODEL_DIR, 'metadata.json'), join(corrupt, 'metadata.json'));
    writeFileSync(join(corrupt, 'model.onnx'), readFileSync(join(MODEL_DIR, 'model.onnx')).subarray(0, 1000));
    const cases = [
      { modelPath: '/models/none', code: 'RIDE_MODEL_NOT_FOUND' },
      { modelPath: '/models/corrupt', code: 'RIDE_MODEL_CHECKSUM_MISMATCH' },
    ];
    for (const { modelPath, code } of cases) {
      const container = await containerForTest(engine, {
        image: scorer.tag,
        name: 'bad-model',
        locked: true,
        env: { KAFKA_BROKERS: brokers(), MODEL_PATH: modelPath, HTTP_PORT: String(await freePort()) },
        mounts: { [corrupt]: '/models/corrupt' },
      });
      expect(await container.exited(), await container.logs()).toBe(3);
      expect(await container.logs()).toContain(code);
    }
  }, 120_000);
});
