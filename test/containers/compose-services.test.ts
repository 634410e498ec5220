import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import {
  type ContainerEngine,
  freePort,
  isReady,
  PROJECT_IMAGES,
  REPO_ROOT,
  recordCount,
  resolveKafkaJars,
  runChecked,
  streamTopicNames,
  uniqueName,
} from '../../harness/index.js';
import { type ComposeService, composeServices, runSpecOf } from '../support/containers/compose-services.js';
import {
  BUILD_TIMEOUT_MS,
  buildImages,
  containerForTest,
  expectNoContainersLeft,
  waitWithLogs,
} from '../support/containers/images.js';
import { checkDelivery } from '../support/delivery-check.js';
import { testClient, testKafka } from '../support/test-kafka.js';

// `docker compose up` with these in its environment: the compose file's own knob for the replay rate.
const services = composeServices({ RIDE_RATE: '5000' });
let engine: ContainerEngine;

beforeAll(async () => {
  ({ engine } = await buildImages(['scorer', 'web', 'producer']));
}, BUILD_TIMEOUT_MS);
afterAll(() => expectNoContainersLeft(engine));

/**
 * What the test adds to each service's environment, and nothing else: the harness broker instead of the `kafka`
 * service, this test's topics and group, the client under test. Everything else (image, entrypoint, command,
 * environment, init, volumes, user and health check) is the compose file's and its images'.
 */
function testEnv(topics: ReturnType<typeof streamTopicNames>, group: string): Record<string, string> {
  const { client } = testClient();
  return {
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    RIDES_TOPIC: topics.rides,
    PREDICTIONS_TOPIC: topics.predictions,
    DLQ_TOPIC: topics.deadLetters,
    COMPLETIONS_TOPIC: `${topics.rides}.completions`,
    EVALUATIONS_TOPIC: `${topics.rides}.evaluations`,
    CONSUMER_GROUP: group,
    EVALUATOR_GROUP: `${group}.evaluator`,
    ...(client === undefined ? {} : { KAFKA_CLIENT: client }),
  };
}

/** Compose's topic creator is our script in the apache/kafka image; here it runs with the harness's Kafka jars. */
async function runTopicCreator(service: ComposeService, env: Record<string, string>): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'kafka-home-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  const libs = await resolveKafkaJars();
  const tool = join(home, 'bin', 'kafka-topics.sh');
  mkdirSync(join(home, 'bin'));
  writeFileSync(
    tool,
    `#!/usr/bin/env bash\nexec java -cp '${libs}/*' org.apache.kafka.tools.TopicCommand "$@"\n`,
  );
  chmodSync(tool, 0o755);
  const script = service.volumes?.[0]?.split(':')[0] ?? '';
  const vars = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));
  const result = await runChecked('bash', [join(REPO_ROOT, script)], {
    env: { ...process.env, ...vars, ...env, KAFKA_HOME: home },
  });
  return result.stdout;
}

/** The stage `docker build` builds when no target is given: the Dockerfile's last. */
function lastStage(dockerfile: string): string | undefined {
  const stages = [...readFileSync(join(REPO_ROOT, dockerfile), 'utf8').matchAll(/^FROM \S+ AS (\S+)$/gm)];
  return stages.at(-1)?.[1];
}

async function engineVolume(): Promise<string> {
  const name = uniqueName('trip-data');
  await engine.checked(['volume', 'create', name]);
  onTestFinished(async () => {
    await engine.run(['volume', 'rm', '--force', name]);
  });
  return name;
}

describe("docker-compose.yml's own services, run", () => {
  it('builds the images the compose file names from the Dockerfiles and stages it gives', () => {
    const built = {
      consumer: PROJECT_IMAGES.scorer,
      producer: PROJECT_IMAGES.producer,
      web: PROJECT_IMAGES.web,
    };
    for (const [name, spec] of Object.entries(built)) {
      const service = services[name];
      expect(service?.image, name).toBe(spec.tag);
      expect(service?.build?.dockerfile, name).toBe(spec.dockerfile);
      expect(service?.build?.target ?? lastStage(spec.dockerfile), name).toBe(spec.target);
    }
    expect(services.data?.image).toBe(PROJECT_IMAGES.producer.tag);
  });

  it('topics, data, three consumers as --scale consumer=3 and the producer: every ride of the trip file answered once', async () => {
    const topics = streamTopicNames(uniqueName('compose'));
    const group = uniqueName('g');
    const env = testEnv(topics, group);
    const created = await runTopicCreator(services.topics ?? {}, env);
    expect(created).toContain(`Topic: ${topics.rides}\tTopicId`);

    // The data step fills the trip-data volume; with no internet here, fetch-data.sh copies the shared data folder.
    const tripData = await engineVolume();
    const data = await containerForTest(engine, {
      ...runSpecOf(services.data ?? {}, {
        volumes: { 'trip-data': tripData },
        env: { SHARED_DATA_DIR: '/shared' },
      }),
      name: 'data',
      mounts: { [join(REPO_ROOT, '..', 'shared', 'data')]: '/shared' },
    });
    expect(await data.exited(), await data.logs()).toBe(0);

    // Each replica gets its own HTTP port: on the host's network they would otherwise share the image's 8080.
    const consumers = [];
    for (let replica = 1; replica <= 3; replica++) {
      const port = await freePort();
      const spec = runSpecOf(services.consumer ?? {}, { env: { ...env, HTTP_PORT: String(port) } });
      consumers.push({
        port,
        container: await containerForTest(engine, { ...spec, name: `consumer-${replica}` }),
      });
    }
    for (const { port, container } of consumers) {
      await waitWithLogs(container, () => isReady(port), 90_000, 'a consumer replica never became ready');
      expect(await container.healthy()).toBe(true);
    }

    const producer = await containerForTest(engine, {
      ...runSpecOf(services.producer ?? {}, { volumes: { 'trip-data': tripData }, env }),
      name: 'producer',
    });
    expect(await producer.exited(), await producer.logs()).toBe(0);
    const finished = (await producer.logs()).split('\n').find((line) => line.includes('"replay finished"'));
    const replayed = /"sent":(\d+)/.exec(finished ?? '')?.[1];
    // The producer sends each ride and, with --completions, its completion: both are counted as sent.
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    onTestFinished(() => admin.disconnect());
    const rides = await recordCount(admin, topics.rides);
    const completions = await recordCount(admin, env.COMPLETIONS_TOPIC!);
    expect(rides).toBeGreaterThan(60_000);
    expect(completions).toBeGreaterThan(60_000);
    expect(rides + completions).toBe(Number(replayed));

    const report = await checkDelivery(kafka, topics, group, rides);
    expect(report.lost).toEqual([]);
    expect(report.duplicates).toBe(0);

    // The evaluator, as compose runs it from the consumer image, joins the predictions to the completions and
    // publishes the month's figures: over the rides of 1..60 min, the model's offline validation RMSE (5.53).
    const evaluatorPort = await freePort();
    const evaluator = await containerForTest(engine, {
      ...runSpecOf(services.evaluator ?? {}, { env: { ...env, HTTP_PORT: String(evaluatorPort) } }),
      name: 'evaluator',
    });
    await waitWithLogs(evaluator, () => isReady(evaluatorPort), 90_000, 'the evaluator never became ready');
    const metric = (text: string, name: string) =>
      Number(new RegExp(`^${name}\\{model_version="1.0.0"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    let metrics = '';
    await waitWithLogs(
      evaluator,
      async () => {
        metrics = await (await fetch(`http://127.0.0.1:${evaluatorPort}/metrics`)).text();
        return metric(metrics, 'ride_evaluated_pairs_total') > 55_000;
      },
      120_000,
      'the evaluator published too few pairs',
    );
    const pairs = metric(metrics, 'ride_evaluated_pairs_total');
    const rmse = Math.sqrt(metric(metrics, 'ride_evaluation_squared_error_minutes_sum') / pairs);
    expect(rmse).toBeGreaterThan(5.3);
    expect(rmse).toBeLessThan(5.8);
    expect(await evaluator.healthy()).toBe(true);
    await evaluator.signal('SIGTERM');
    expect(await evaluator.exited(), await evaluator.logs()).toBe(0);
    for (const { container } of consumers) {
      await container.signal('SIGTERM');
      expect(await container.exited(), await container.logs()).toBe(0);
    }
  }, 300_000);

  it('web: the service answers POST /predict on the port the compose file publishes', async () => {
    const port = await freePort();
    const web = await containerForTest(engine, {
      ...runSpecOf(services.web ?? {}, { hostPorts: { 9696: port } }),
      name: 'web',
    });
    await waitWithLogs(
      web,
      async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200,
      60_000,
      'the web service never answered',
    );
    const res = await fetch(`http://127.0.0.1:${port}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ PULocationID: 130, DOLocationID: 205, trip_distance: 3.66, ride_id: 256 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ model_version: '1.0.0', ride_id: 256 });
    await web.signal('SIGTERM');
    expect(await web.exited()).toBe(0);
  }, 120_000);
});
