import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import {
  KAFKA_IMAGE,
  REPO_ROOT,
  type RunResult,
  resolveKafkaJars,
  runToExit,
  uniqueName,
} from '../../harness/index.js';
import {
  COMPOSE_FILE,
  checkCompose,
  projectProblems,
  readCompose,
  schemaProblems,
} from '../../scripts/check-compose.js';
import { DASHBOARD_FILE, dashboardQueries } from '../support/dashboard-queries.js';
import { disconnectAfterTest, testKafka } from '../support/test-kafka.js';

const deployFile = (path: string) => parse(readFileSync(join(REPO_ROOT, 'deploy', path), 'utf8'));

// deploy/compose-check: a Go program around compose-go, the loader `docker compose` itself uses (the current
// schema, interpolation, the loader's own checks). Built through the Go module proxy into .cache/tools.
const COMPOSE_CHECK_DIR = join(REPO_ROOT, 'deploy/compose-check');
const COMPOSE_CHECK_BIN = join(REPO_ROOT, '.cache/tools/compose-check');
const hasGo = spawnSync('go', ['version']).status === 0;
const goEnv = { ...process.env, GOFLAGS: '-buildvcs=false' };

// biome-ignore lint/suspicious/noExplicitAny: compose services as parsed
type Service = any;
const env = (s: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));

/**
 * The compose `topics` step: deploy/kafka/create-topics.sh with its service's environment and `over` it, against
 * the integration broker, its kafka-topics.sh being the harness's Kafka jars (the apache/kafka image's own tool).
 */
async function runTopicsStep(over: Record<string, string>): Promise<RunResult> {
  const home = mkdtempSync(join(tmpdir(), 'kafka-home-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  const tool = join(home, 'bin', 'kafka-topics.sh');
  mkdirSync(join(home, 'bin'));
  const libs = await resolveKafkaJars();
  writeFileSync(
    tool,
    `#!/usr/bin/env bash\nexec java -cp '${libs}/*' org.apache.kafka.tools.TopicCommand "$@"\n`,
  );
  chmodSync(tool, 0o755);
  const topics = readCompose().services.topics as Service;
  const script = String(topics.volumes[0]).split(':')[0]!;
  return runToExit('bash', [join(REPO_ROOT, script)], {
    env: { ...process.env, ...env(topics), KAFKA_HOME: home, ...over },
  });
}

describe('docker-compose.yml, statically (test/containers runs its own services)', () => {
  it('conforms to the compose-spec schema and the stack rules', () => {
    expect(checkCompose()).toEqual([]);
  });

  it.skipIf(!hasGo)(
    'loads with compose-go, as `docker compose config` would (needs a Go toolchain)',
    () => {
      const build = spawnSync('go', ['build', '-o', COMPOSE_CHECK_BIN, '.'], {
        cwd: COMPOSE_CHECK_DIR,
        env: goEnv,
        encoding: 'utf8',
      });
      expect(build.status, build.stderr).toBe(0);
      const run = spawnSync(COMPOSE_CHECK_BIN, [COMPOSE_FILE], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain(
        'services [consumer data evaluator grafana kafka producer prometheus topics web]',
      );

      const dir = mkdtempSync(join(tmpdir(), 'compose-check-'));
      try {
        const broken = join(dir, 'docker-compose.yml');
        writeFileSync(broken, readFileSync(COMPOSE_FILE, 'utf8').replace('init: true', 'inti: true'));
        const refused = spawnSync(COMPOSE_CHECK_BIN, [broken], { encoding: 'utf8' });
        expect(refused.status).toBe(1);
        expect(refused.stderr).toMatch(/services\.consumer.*inti/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    600_000,
  );

  it('runs the harness Kafka release', () => {
    const { services } = readCompose();
    expect(services.kafka?.image).toBe(KAFKA_IMAGE);
    expect(services.topics?.image).toBe(KAFKA_IMAGE);
  });

  it('catches what it claims to catch', () => {
    const compose = readCompose();
    const consumer = compose.services.consumer as Record<string, unknown>;
    consumer.ports = ['8080:8080'];
    consumer.restart_policy = 'always'; // not a service key
    consumer.stop_grace_period = '30 seconds';
    (compose.services.kafka as Record<string, unknown>).image = 'apache/kafka:3.9.0';
    const problems = [...schemaProblems(compose), ...projectProblems(compose)].join('\n');
    expect(problems).toMatch(/additionalProperty":"restart_policy/);
    expect(problems).toMatch(/stop_grace_period must match format "duration"/);
    expect(problems).toMatch(/consumer: publishes host ports/);
    expect(problems).toMatch(/kafka: image apache\/kafka:3.9.0 differs/);
  });

  it('lets Prometheus find every consumer replica by the service name, on the port the consumer serves', () => {
    const { scrape_configs } = deployFile('prometheus/prometheus.yml');
    const dns = scrape_configs.find((j: { job_name: string }) => j.job_name === 'ride-scorer')
      .dns_sd_configs[0];
    expect(dns).toMatchObject({ names: ['consumer'], type: 'A', port: 8080 });
    expect(readCompose().services.consumer).toMatchObject({ expose: ['8080'] });
  });

  it('provisions a dashboard whose panels all use the provisioned Prometheus datasource', () => {
    const { datasources } = deployFile('grafana/provisioning/datasources/prometheus.yml');
    const { providers } = deployFile('grafana/provisioning/dashboards/ride-duration.yml');
    expect(providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    const queries = dashboardQueries(DASHBOARD_FILE);
    expect(new Set(queries.map((q) => q.datasourceUid))).toEqual(new Set([datasources[0].uid]));
    const panels = new Set(queries.map((q) => q.panel));
    for (const p of [
      'Throughput',
      'End-to-end latency percentiles',
      'Dead letters by reason',
      'Consumer lag',
    ])
      expect(panels).toContain(p);
    expect(queries.find((q) => q.panel === 'Model serving')?.expr).toContain('ride_model_info');
    expect(queries.some((q) => q.expr.startsWith('histogram_quantile(0.99'))).toBe(true);
  });
  it('runs the evaluator from the consumer image: its command, port, health check, stop and restart', () => {
    const { services } = readCompose();
    const evaluator = services.evaluator as Service;
    const consumer = services.consumer as Service;
    // The consumer image, built as the consumer service builds it; the consumer package's ride-evaluator program.
    expect(evaluator.image).toBe(consumer.image);
    expect(evaluator.build).toEqual(consumer.build);
    const bin = JSON.parse(readFileSync(join(REPO_ROOT, 'consumer/package.json'), 'utf8')).bin[
      'ride-evaluator'
    ];
    expect(evaluator.command).toEqual(['node', join('consumer', bin)]);
    // One port everywhere: the one it listens on (the image's ENV says the scorer's 8080), exposes and is asked on.
    const port = env(evaluator).HTTP_PORT;
    expect(port).toBe('8082');
    expect(evaluator.expose).toEqual([port]);
    expect(evaluator.ports).toBeUndefined();
    const probe = evaluator.healthcheck.test.join(' ');
    expect(probe).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(evaluator.healthcheck).toMatchObject({ interval: '10s', retries: 3 });
    // Started once the topics exist, as the consumer; a stop outlasts its 25 s shutdown; restarted after a crash.
    expect(evaluator.depends_on).toEqual(consumer.depends_on);
    expect(evaluator.depends_on).toEqual({ topics: { condition: 'service_completed_successfully' } });
    expect(Number.parseInt(evaluator.stop_grace_period, 10)).toBeGreaterThan(25);
    expect(evaluator).toMatchObject({ init: true, restart: 'unless-stopped' });
  });

  it("joins what the stack writes: the scorer's predictions and the producer's completions, both created by the topics step", () => {
    const { services } = readCompose();
    const topics = env(services.topics);
    const evaluator = env(services.evaluator);
    const producer = services.producer as Service;
    expect(producer.command).toContain('--completions');
    expect(env(producer).COMPLETIONS_TOPIC).toBe(topics.COMPLETIONS_TOPIC);
    expect(evaluator).toMatchObject({
      PREDICTIONS_TOPIC: topics.PREDICTIONS_TOPIC,
      COMPLETIONS_TOPIC: topics.COMPLETIONS_TOPIC,
      EVALUATIONS_TOPIC: topics.EVALUATIONS_TOPIC,
    });
    // The consumer writes its default predictions topic: the one the topics step names.
    expect(env(services.consumer).PREDICTIONS_TOPIC ?? 'ride-predictions').toBe(topics.PREDICTIONS_TOPIC);
  });

  it('creates every topic with one partition count, so predictions and completions are co-partitioned', async () => {
    const base = uniqueName('compose-topics');
    const names = {
      RIDES_TOPIC: `${base}.rides`,
      PREDICTIONS_TOPIC: `${base}.predictions`,
      DLQ_TOPIC: `${base}.dlq`,
      COMPLETIONS_TOPIC: `${base}.completions`,
      EVALUATIONS_TOPIC: `${base}.evaluations`,
    };
    const run = await runTopicsStep({ KAFKA_BROKERS: inject('kafkaBrokers').join(','), ...names });
    expect(run.code, run.output).toBe(0);
    const admin = disconnectAfterTest(testKafka().admin());
    await admin.connect();
    const partitions = Number(env(readCompose().services.topics).TOPIC_PARTITIONS);
    for (const topic of Object.values(names))
      expect((await admin.partitionLeaders(topic)).size, topic).toBe(partitions);
  }, 120_000);

  it('stops the stack at the topics step when the completions topic exists with another partition count', async () => {
    const base = uniqueName('compose-mismatch');
    const completions = `${base}.completions`;
    const admin = disconnectAfterTest(testKafka().admin());
    await admin.connect();
    await admin.createTopics([{ topic: completions, numPartitions: 3, replicationFactor: 1 }]);
    const run = await runTopicsStep({
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      RIDES_TOPIC: `${base}.rides`,
      PREDICTIONS_TOPIC: `${base}.predictions`,
      DLQ_TOPIC: `${base}.dlq`,
      COMPLETIONS_TOPIC: completions,
      EVALUATIONS_TOPIC: `${base}.evaluations`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${base}.predictions has 6 partitions and ${completions} 3: the evaluator joins them by partition number`,
    );
    expect(run.stderr).toMatch(/Delete the newer one and run again with TOPIC_PARTITIONS=6/);
  }, 120_000);
});
