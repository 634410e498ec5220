import type { KafkaAdmin, KafkaClientName, Logger, WireFormat } from '@ride/shared';
import { createTopics, uniqueName } from '../../harness/index.js';
import type { LeverSet } from './bench-config.js';
import type { ConsumerLaunch } from './consumer-process.js';
import { runLatency } from './latency-bench.js';
import { runPipeline } from './pipeline-bench.js';
import { runProducerCli } from './producer-cli.js';

/**
 * One combination of the levers: the output path's headers and the Kafka client. Levers that measurement retired
 * (the Node 20 runtime, a partition's next fetch overlapping its previous publish) are gone with their code; their
 * figures stay in git (bench/figures).
 */
export interface Lever {
  name: string;
  wire: WireFormat;
  client: KafkaClientName;
  /** One of the rows that, together, run each setting of each lever at least once (the smoke profile's set). */
  covering?: true;
}

const BEFORE: Omit<Lever, 'name'> = { wire: 'tagged', client: 'kafkajs' };
/** Each lever alone against the earlier state, and both together (today's defaults) last. */
export const LEVERS: readonly Lever[] = [
  { ...BEFORE, name: 'before: headers, kafkajs', covering: true },
  { ...BEFORE, name: 'no headers alone', wire: 'confluent' },
  { ...BEFORE, name: 'platformatic alone', client: 'platformatic' },
  { name: 'both (default)', wire: 'confluent', client: 'platformatic', covering: true },
];

export interface LeverRun {
  lever: string;
  node: string;
  wire: WireFormat;
  client: string;
  events_per_s: number;
  cpu_s_per_million: number;
  peak_rss_mb: number;
  p99_ms_at_5k: number;
  kafka_only_p99_ms_at_5k: number;
  sustained_at_5k: boolean;
}

/** The rows of `set`, in the table's order. */
export function leversOf(set: LeverSet): readonly Lever[] {
  return set === 'every' ? LEVERS : LEVERS.filter((l) => l.covering);
}

/**
 * The levers of `set` through the same work, one after another in one run: `events` preloaded rides written in the lever's
 * wire format through one consumer process (throughput, CPU, RSS), then 5k ev/s offered for `loadSeconds` (p99
 * beside the Kafka-only reader's).
 */
export async function runLevers(
  admin: KafkaAdmin,
  brokers: readonly string[],
  events: number,
  set: LeverSet,
  timing: { loadSeconds: number; warmupSeconds: number },
  launch: ConsumerLaunch,
  logger: Logger,
): Promise<LeverRun[]> {
  const levers = leversOf(set);
  const preloaded = new Map<WireFormat, string>();
  for (const wire of new Set(levers.map((l) => l.wire))) {
    const topic = uniqueName(`lever-rides-${wire}`);
    await createTopics(admin, [topic], 6);
    const args = ['--synthetic', '--limit', String(events), '--max'];
    await runProducerCli(brokers, topic, args, { ...launch.env, WIRE_FORMAT: wire });
    preloaded.set(wire, topic);
  }
  const runs: LeverRun[] = [];
  for (const lever of levers) {
    const leverLaunch: ConsumerLaunch = {
      ...launch,
      extraEnv: {
        ...launch.extraEnv,
        WIRE_FORMAT: lever.wire,
        KAFKA_CLIENT: lever.client,
      },
    };
    logger.info({ lever }, 'lever run started');
    const rides = preloaded.get(lever.wire)!;
    const pipeline = await runPipeline(admin, brokers, rides, events, 1, leverLaunch, logger);
    const plan = {
      rates: [5000],
      searchSteps: 0,
      loadSeconds: timing.loadSeconds,
      warmupSeconds: timing.warmupSeconds,
    };
    const [point] = await runLatency(admin, brokers, plan, leverLaunch, logger);
    runs.push({
      lever: lever.name,
      node: process.versions.node,
      wire: lever.wire,
      client: lever.client,
      events_per_s: pipeline.events_per_s,
      cpu_s_per_million: pipeline.cpu_s_per_million,
      peak_rss_mb: pipeline.peak_rss_mb,
      p99_ms_at_5k: point!.latency_ms.p99,
      kafka_only_p99_ms_at_5k: point!.kafka_only_ms.p99,
      sustained_at_5k: point!.sustained,
    });
  }
  return runs;
}
