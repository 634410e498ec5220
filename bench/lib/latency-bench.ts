import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaAdmin, Logger } from '@ride/shared';
import {
  type Child,
  createTopics,
  REPO_ROOT,
  recordCount,
  spawnChild,
  uniqueName,
  waitFor,
} from '../../harness/index.js';
import { BENCH_DIR } from './bench-paths.js';
import { type ConsumerLaunch, type ConsumerProcess, startConsumer, waitReady } from './consumer-process.js';
import { LatencyReader, predictionCreatedAt, rideCreatedAt } from './latency-reader.js';
import { type LatencySummary, summarize } from './percentiles.js';

export interface LoadPoint {
  offered_per_s: number;
  /** What the load generator achieved (it may fall short of the offer on a busy machine). */
  achieved_per_s: number;
  latency_ms: LatencySummary;
  /** Same events, created → the ride itself readable from `rides`: what Kafka and the clients cost alone. */
  kafka_only_ms: LatencySummary;
  /** Mean backlog (rides written − predictions written) in the last quarter of the run. */
  final_backlog: number;
  /** Events still not scored when the drain gave up (their latencies are missing from the percentiles). */
  undrained: number;
  /** How much the mean backlog grew from the second quarter of the run to the last. */
  backlog_growth: number;
  /** Achieved ≥ 95% of the offer and the backlog grew by less than a quarter-second of input. */
  sustained: boolean;
}

export interface LatencyPlan {
  rates: readonly number[];
  /** Extra points searching for the highest sustained rate (see nextRate). */
  searchSteps: number;
  loadSeconds: number;
  warmupSeconds: number;
}

/** One scoring consumer kept running; a load generator process offers each rate in turn; a reader measures. */
export async function runLatency(
  admin: KafkaAdmin,
  brokers: readonly string[],
  plan: LatencyPlan,
  launch: ConsumerLaunch,
  logger: Logger,
): Promise<LoadPoint[]> {
  const topics = {
    rides: uniqueName('lat-rides'),
    predictions: uniqueName('lat-pred'),
    deadLetters: uniqueName('lat-dlq'),
  };
  await createTopics(admin, [topics.rides, topics.predictions, topics.deadLetters], 6);
  let consumer: ConsumerProcess | undefined;
  let reader: LatencyReader | undefined;
  let baseline: LatencyReader | undefined;
  try {
    consumer = await startConsumer(brokers, topics, uniqueName('lat-scorer'), launch);
    await waitReady(consumer);
    reader = await LatencyReader.start(
      brokers,
      topics.predictions,
      uniqueName('lat-reader'),
      predictionCreatedAt,
      logger,
    );
    baseline = await LatencyReader.start(
      brokers,
      topics.rides,
      uniqueName('lat-base'),
      rideCreatedAt,
      logger,
    );
    const readers = { reader, baseline };
    const points: LoadPoint[] = [];
    const backlog = async () =>
      (await recordCount(admin, topics.rides)) - (await recordCount(admin, topics.predictions));
    const run = async (rate: number, seed: number) => {
      const wire = launch.extraEnv.WIRE_FORMAT ?? 'confluent';
      const point = await offer(rate, seed, plan, brokers, topics.rides, readers, backlog, launch.env, wire);
      logger.info({ point }, 'load point done');
      points.push(point);
      return point;
    };
    let seed = 1;
    for (const rate of plan.rates) await run(rate, seed++);
    for (let step = 0; step < plan.searchSteps; step++) {
      const rate = nextRate(points);
      if (rate === undefined) break;
      await run(rate, seed++);
    }
    return points;
  } finally {
    await reader?.stop();
    await baseline?.stop();
    if (consumer !== undefined) await consumer.tracked.stop();
  }
}

async function offer(
  rate: number,
  seed: number,
  plan: LatencyPlan,
  brokers: readonly string[],
  topic: string,
  readers: { reader: LatencyReader; baseline: LatencyReader },
  backlog: () => Promise<number>,
  env: NodeJS.ProcessEnv,
  wire: string,
): Promise<LoadPoint> {
  const generator = spawnChild(
    process.execPath,
    [
      '--import',
      'tsx',
      join(BENCH_DIR, 'load-generator.ts'),
      '--brokers',
      brokers.join(','),
      '--topic',
      topic,
      '--rate',
      String(rate),
      '--seconds',
      String(plan.loadSeconds),
      '--seed',
      String(seed),
      '--wire',
      wire,
    ],
    { cwd: REPO_ROOT, env },
  );
  const startedAt = await generatorStart(generator);
  for (const r of Object.values(readers))
    r.open(startedAt + plan.warmupSeconds * 1000, startedAt + plan.loadSeconds * 1000);
  const samples: { at: number; backlog: number }[] = [];
  // Samples while the generator runs; it ends by itself after loadSeconds.
  await waitFor(
    async () => {
      if (generator.child.exitCode !== null) return true;
      samples.push({ at: Date.now(), backlog: await backlog() });
      return false;
    },
    Number.POSITIVE_INFINITY,
    () => 'load generator still running',
    { intervalMs: 500 },
  );
  const code = await generator.exited;
  if (code !== 0) throw new Error(`load generator exited ${code}: ${generator.stderr().slice(-2000)}`);
  const stats = JSON.parse(generator.stdout().trim().split('\n').at(-1)!) as {
    sent: number;
    elapsedMs: number;
  };
  // Let the backlog drain so late predictions of the window still count and the next point starts clean;
  // give up (the check returns true) only when the consumer makes no progress for 15 s.
  let left = Number.POSITIVE_INFINITY;
  let progressAt = Date.now();
  await waitFor(
    async () => {
      const now = await backlog();
      if (now < left) progressAt = Date.now();
      left = now;
      return left <= 0 || Date.now() - progressAt >= 15_000;
    },
    Number.POSITIVE_INFINITY,
    () => `backlog of ${left} rides`,
    { intervalMs: 200 },
  );
  // The readers see the last records written a fetch later (their maxWaitMs is 100).
  await sleep(300);
  const latencies = readers.reader.close();
  const kafkaOnly = readers.baseline.close();
  const quarter = (q: number) =>
    mean(
      samples.filter(
        (s) =>
          s.at >= startedAt + plan.loadSeconds * 250 * q &&
          s.at < startedAt + plan.loadSeconds * 250 * (q + 1),
      ),
    );
  const finalBacklog = quarter(3);
  const growth = finalBacklog - quarter(1);
  const achieved = Math.round((stats.sent * 1000) / stats.elapsedMs);
  return {
    offered_per_s: rate,
    achieved_per_s: achieved,
    latency_ms: summarize(latencies),
    kafka_only_ms: summarize(kafkaOnly),
    final_backlog: Math.round(finalBacklog),
    undrained: left,
    backlog_growth: Math.round(growth),
    sustained: achieved >= rate * 0.95 && growth <= rate / 4,
  };
}

/** The generator prints {"startedAt": ms} once connected, just before the first ride is offered. */
async function generatorStart(generator: Child): Promise<number> {
  let startedAt = 0;
  await waitFor(
    () => {
      const match = /"startedAt":(\d+)/.exec(generator.stdout());
      if (match !== null) startedAt = Number(match[1]);
      else if (generator.child.exitCode !== null) {
        throw new Error(
          `load generator exited ${generator.child.exitCode}: ${generator.stderr().slice(-2000)}`,
        );
      }
      return match !== null;
    },
    Number.POSITIVE_INFINITY,
    () => 'load generator never said it started',
    { intervalMs: 20 },
  );
  return startedAt;
}

function mean(samples: readonly { backlog: number }[]): number {
  return samples.length === 0 ? 0 : samples.reduce((sum, s) => sum + s.backlog, 0) / samples.length;
}

/**
 * The next rate to try: halfway between the highest sustained and the lowest unsustained rate so far
 * (rounded to 500 ev/s), or 1.5× the highest sustained when nothing has failed yet; undefined when the gap is
 * already within 10%.
 */
export function nextRate(points: readonly LoadPoint[]): number | undefined {
  const ok = points.filter((p) => p.sustained).map((p) => p.offered_per_s);
  const failed = points.filter((p) => !p.sustained).map((p) => p.offered_per_s);
  const high = ok.length > 0 ? Math.max(...ok) : 0;
  const low = failed.length > 0 ? Math.min(...failed) : undefined;
  if (low === undefined) return Math.round((high * 1.5) / 1000) * 1000;
  if (low - high <= Math.max(low * 0.1, 500)) return undefined;
  return Math.round((high + low) / 2 / 500) * 500;
}
