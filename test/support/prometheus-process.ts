import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { onTestFinished } from 'vitest';
import { parse, stringify } from 'yaml';
import { freePort, REPO_ROOT, waitFor } from '../../harness/index.js';

export const COMPOSE_PROMETHEUS_CONFIG = join(REPO_ROOT, 'deploy/prometheus/prometheus.yml');

/** Installs Debian's prometheus when missing (scripts/ensure-prometheus.sh); throws with its output on failure. */
export function ensurePrometheus(): void {
  const result = spawnSync('bash', [join(REPO_ROOT, 'scripts/ensure-prometheus.sh')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ensure-prometheus failed:\n${result.stdout}${result.stderr}`);
}

interface ScrapeConfig {
  job_name: string;
  dns_sd_configs?: unknown;
  static_configs?: { targets: string[] }[];
  [key: string]: unknown;
}

/**
 * The compose stack's Prometheus config with its DNS discovery (service names only Compose's DNS resolves) swapped
 * for loopback targets: an array scrapes those as the stream scorer (`ride-scorer`), a record maps job names to
 * their targets; jobs given no targets are left out, so no job scrapes another's program. Rule files are made
 * absolute, so the stack's rules load and evaluate; job names, paths and the rest stay as deployed.
 */
export function loopbackConfig(targets: string[] | Record<string, string[]>, scrapeInterval = '1s'): string {
  const byJob = Array.isArray(targets) ? { 'ride-scorer': targets } : targets;
  const config = parse(readFileSync(COMPOSE_PROMETHEUS_CONFIG, 'utf8')) as {
    global: Record<string, unknown>;
    rule_files?: string[];
    scrape_configs: ScrapeConfig[];
  };
  config.global.scrape_interval = scrapeInterval;
  config.global.evaluation_interval = scrapeInterval;
  config.rule_files = config.rule_files?.map((file) => resolve(dirname(COMPOSE_PROMETHEUS_CONFIG), file));
  config.scrape_configs = config.scrape_configs.filter((job) => byJob[job.job_name] !== undefined);
  for (const job of config.scrape_configs) {
    delete job.dns_sd_configs;
    job.static_configs = [{ targets: byJob[job.job_name] ?? [] }];
  }
  return stringify(config);
}

export interface PrometheusProcess {
  url: string;
  /** An instant query; resolves with the result vector (or scalar) as Prometheus returns it. */
  query(
    expr: string,
  ): Promise<{ status: string; error?: string; data?: { resultType: string; result: unknown } }>;
  output(): string;
}

/** Starts Prometheus on a free loopback port with the given config; stopped (and its data removed) after the test. */
export async function startPrometheus(configText: string): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'ride-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configText);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const ready = async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true;
  await waitFor(ready, 30_000, () => `prometheus never became ready:\n${output}`);
  return {
    url,
    output: () => output,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
      return (await res.json()) as Awaited<ReturnType<PrometheusProcess['query']>>;
    },
  };
}
