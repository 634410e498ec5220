import { join } from 'node:path';
import { framedSchemaId } from '@ride/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  freePort,
  REPO_ROOT,
  runToExit,
  type SchemaRegistry,
  startSchemaRegistry,
  tail,
  uniqueName,
} from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import { runProducer } from '../support/producer-process.js';
import { runConsumerToExit } from '../support/run-consumer-to-exit.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { testKafka } from '../support/test-kafka.js';

const RIDES = 200;
const UPSTREAM_V1 = 20;

let registry: SchemaRegistry;
let python: string;

beforeAll(async () => {
  const setup = await runToExit('bash', [join(REPO_ROOT, 'test/registry/setup-venv.sh')], { cwd: REPO_ROOT });
  if (setup.code !== 0) throw new Error(`test/registry/setup-venv.sh failed:\n${tail(setup.output)}`);
  python = setup.output.trim().split('\n').pop()!;
  registry = await startSchemaRegistry();
}, 300_000);
afterAll(() => registry?.stop());

/** Confluent's Python client (registry_client.py) in `mode` against `topic`. */
async function client(mode: 'read' | 'write', topic: string, count: number): Promise<string> {
  const script = join(REPO_ROOT, 'test/registry/registry_client.py');
  const brokers = inject('kafkaBrokers').join(',');
  const args = [script, mode, '--brokers', brokers, '--topic', topic, '--registry', registry.url];
  const run = await runToExit(python, [...args, '--count', String(count)], { cwd: REPO_ROOT });
  if (run.code !== 0) throw new Error(`registry_client.py ${mode} failed:\n${tail(run.output)}`);
  return run.output;
}

async function latestId(subject: string): Promise<number> {
  const res = await fetch(`${registry.url}/subjects/${encodeURIComponent(subject)}/versions/latest`);
  expect(res.status, `subject ${subject}`).toBe(200);
  return ((await res.json()) as { id: number }).id;
}

describe('with a real schema registry (Apicurio, Confluent-compatible API)', () => {
  it("registers our schemas under <topic>-value, and Confluent's Avro reader decodes every prediction", async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 3);
    const env = { SCHEMA_REGISTRY_URL: registry.url };
    await startConsumer(topics, uniqueName('g'), env);
    const run = await runProducer(['--synthetic', '--limit', String(RIDES), '--max'], topics, env);
    expect(run.code, run.output).toBe(0);
    // An upstream on the older ride-started v1, serialized by Confluent's client: its id is new to the consumer,
    // which looks it up in the registry and reads it into v2.
    await client('write', topics.rides, UPSTREAM_V1);
    const total = RIDES + UPSTREAM_V1;
    const records = await collectRecords(kafka, topics.predictions, { count: total });

    const rideId = await latestId(`${topics.rides}-value`);
    const predictionId = await latestId(`${topics.predictions}-value`);
    for (const r of records) expect(framedSchemaId(r.value!)).toBe(predictionId);
    expect(predictionId).not.toBe(rideId);

    const read = (await client('read', topics.predictions, total))
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { key: string; headers: string[]; value: Record<string, unknown> });
    expect(read).toHaveLength(total);
    const keys = new Set(read.map((r) => r.key));
    expect(keys.size).toBe(total);
    for (let i = 0; i < UPSTREAM_V1; i++) expect(keys.has(`upstream-v1-${i}`)).toBe(true);
    for (const r of read) {
      expect(r.headers).toEqual([]);
      expect(r.value).toMatchObject({ ride_id: r.key, model: 'ride-duration', version: '1.0.0' });
      expect(r.value.ride_duration).toBeGreaterThan(0);
    }
  });

  it('stops at start with a message naming SCHEMA_REGISTRY_URL when the registry cannot be reached', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 1);
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const run = await runConsumerToExit(topics, uniqueName('g'), { SCHEMA_REGISTRY_URL: unreachable });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain('RIDE_SCHEMA_REGISTRY_FAILED');
    expect(run.output).toContain('SCHEMA_REGISTRY_URL');
    expect(run.output).toContain(unreachable);
  });
});
