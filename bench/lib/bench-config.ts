import { parseArgs } from 'node:util';

export const BenchModes = ['full', 'quick', 'smoke'] as const;
export type BenchMode = (typeof BenchModes)[number];
export type LeverSet = 'every' | 'covering';

/** How much a run measures; `full` is what BENCHMARKS.md reports, `smoke` only proves the machinery works. */
export interface BenchProfile {
  mode: BenchMode;
  /** Rides preloaded for the throughput runs (pipeline, perf tools, batched peer). */
  events: number;
  /** Events the course-style peer scores (it is slow: its rate settles long before the full count). */
  courseEvents: number;
  peers: boolean;
  twoConsumers: boolean;
  /** The one-process throughput and the 5k ev/s point again on a local cluster of three brokers and a controller (RF 3, acks=all). */
  cluster: boolean;
  /**
   * The cost levers (headers, client) side by side (see lever-bench.ts): `every` row, or only the
   * `covering` ones (each setting of each lever run at least once: proves the machinery in two runs, not four).
   */
  levers: LeverSet;
  /** Offered loads for the latency runs, events/s; more are searched above them up to `searchSteps`. */
  rates: readonly number[];
  searchSteps: number;
  loadSeconds: number;
  /** Seconds at the start of each load point left out of the percentiles (connections, JIT). */
  warmupSeconds: number;
}

const PROFILES: Record<BenchMode, BenchProfile> = {
  full: {
    mode: 'full',
    events: 1_000_000,
    courseEvents: 60_000,
    peers: true,
    twoConsumers: true,
    cluster: true,
    levers: 'every',
    rates: [1000, 5000, 20_000],
    searchSteps: 4,
    loadSeconds: 30,
    warmupSeconds: 5,
  },
  quick: {
    mode: 'quick',
    events: 100_000,
    courseEvents: 25_000,
    peers: true,
    twoConsumers: true,
    cluster: true,
    levers: 'every',
    rates: [1000, 5000, 20_000],
    searchSteps: 2,
    loadSeconds: 10,
    warmupSeconds: 2,
  },
  smoke: {
    mode: 'smoke',
    events: 5_000,
    courseEvents: 0,
    peers: false,
    twoConsumers: false,
    cluster: false,
    levers: 'covering',
    rates: [1000],
    searchSteps: 0,
    loadSeconds: 5,
    warmupSeconds: 1,
  },
};

export interface BenchConfig {
  profile: BenchProfile;
  /** Write the Markdown and PNG to this folder as well as bench/results (BENCHMARKS.md's copy). */
  publishDir: string | undefined;
  /** Environment handed to child processes (consumer, producer CLI, peers). */
  childEnv: NodeJS.ProcessEnv;
  /** Extra consumer settings for every consumer process (experiments: MAX_BATCH, PARTITIONS_CONSUMED_CONCURRENTLY). */
  consumerEnv: Record<string, string>;
  /** Node flags for every consumer process (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  consumerNodeArgs: string[];
}

export const USAGE = `Usage: npm run bench [-- --quick | --smoke] [--events N] [--publish <dir>]
  (default)     full run: 1,000,000 events, 30 s per load point, peers, a three-broker cluster row
  --quick       100,000 events, 10 s per load point (under 5 minutes)
  --smoke       5,000 events, one load point, no peers, no cluster (CI: proves it works)
  --events N    override the preloaded event count
  --publish d   also write the Markdown table and PNG chart into folder d
  --consumer-env K=V   extra consumer environment, repeatable (e.g. PARTITIONS_CONSUMED_CONCURRENTLY=6)
  --cpu-prof d  run every consumer under node --cpu-prof, profiles into folder d
Environment: KAFKA_BROKERS to use a running cluster instead of starting one (see harness/broker)`;

/** Reads flags and the environment once. */
export function loadBenchConfig(argv: readonly string[], env: NodeJS.ProcessEnv): BenchConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      smoke: { type: 'boolean' },
      events: { type: 'string' },
      publish: { type: 'string' },
      'consumer-env': { type: 'string', multiple: true },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new Error(USAGE);
  if (values.quick && values.smoke) throw new Error(`--quick and --smoke exclude each other\n${USAGE}`);
  const mode: BenchMode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const profile = { ...PROFILES[mode] };
  if (values.events !== undefined) {
    const events = Number(values.events);
    if (!Number.isInteger(events) || events < 100) throw new Error(`--events must be an integer ≥ 100`);
    profile.events = events;
    profile.courseEvents = Math.min(profile.courseEvents, events);
  }
  const consumerEnv: Record<string, string> = {};
  for (const pair of values['consumer-env'] ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--consumer-env wants KEY=VALUE, got ${pair}`);
    consumerEnv[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const profileDir = values['cpu-prof'];
  const consumerNodeArgs = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  return Object.freeze({ profile, publishDir: values.publish, childEnv: env, consumerEnv, consumerNodeArgs });
}
