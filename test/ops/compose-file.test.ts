import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KAFKA_IMAGE, REPO_ROOT } from '../../harness/index.js';
import {
  COMPOSE_FILE,
  checkCompose,
  projectProblems,
  readCompose,
  schemaProblems,
} from '../../scripts/check-compose.js';
import { DASHBOARD_FILE, dashboardQueries } from '../support/dashboard-queries.js';

const deployFile = (path: string) => parse(readFileSync(join(REPO_ROOT, 'deploy', path), 'utf8'));

// deploy/compose-check: a Go program around compose-go, the loader `docker compose` itself uses (the current
// schema, interpolation, the loader's own checks). Built through the Go module proxy into .cache/tools.
const COMPOSE_CHECK_DIR = join(REPO_ROOT, 'deploy/compose-check');
const COMPOSE_CHECK_BIN = join(REPO_ROOT, '.cache/tools/compose-check');
const hasGo = spawnSync('go', ['version']).status === 0;
const goEnv = { ...process.env, GOFLAGS: '-buildvcs=false' };

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
      expect(run.stdout).toContain('services [consumer data grafana kafka producer prometheus topics web]');

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
});
