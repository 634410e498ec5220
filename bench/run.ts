// npm run bench [-- --quick | --smoke]: throughput, latency and memory against Kafka's tools and Python peers.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticRides } from '@ride/producer';
import {
  createKafka,
  createLogger,
  encodeRideStarted,
  type KafkaAdmin,
  type Logger,
  routeProcessWarnings,
} from '@ride/shared';
import {
  type BrokerHandle,
  createTopics,
  nameAfter,
  REPO_ROOT,
  startBroker,
  stopAllChildren,
  uniqueName,
} from '../harness/index.js';
import { type BenchConfig, loadBenchConfig } from './lib/bench-config.js';
import { type BenchResults, evaluateGoals } from './lib/bench-results.js';
import { runOnCluster } from './lib/cluster-bench.js';
import { consumerPerformance, producerPerformance } from './lib/kafka-perf-tools.js';
import { runLatency } from './lib/latency-bench.js';
import { runLevers } from './lib/lever-bench.js';
import { loadAverage, machineFacts } from './lib/load-average.js';
import { ensurePeersVenv, runPeer } from './lib/peer-bench.js';
import { runPipeline } from './lib/pipeline-bench.js';
import { runProducerCli } from './lib/producer-cli.js';
import { versions } from './lib/versions.js';
import { writeResults } from './lib/write-results.js';

const TRIP_FILE = join(REPO_ROOT, 'data', 'green_tripdata_2021-02.parquet');

/** Framed Avro value bytes, and the whole record as ProducerPerformance should write it (key + value). */
function eventBytes(): { value: number; record: number } {
  const ride = syntheticRides({ seed: 42 }).next().value!;
  const value = encodeRideStarted(ride);
  return { value: value.length, record: value.length + Buffer.byteLength(ride.ride_id) };
}

async function measure(config: BenchConfig, broker: BrokerHandle, admin: KafkaAdmin, logger: Logger) {
  const { profile, childEnv: env } = config;
  const launch = { env, extraEnv: config.consumerEnv, nodeArgs: config.consumerNodeArgs };
  const { brokers } = broker;
  const started = performance.now();
  const loadStart = loadAverage();
  const notes: string[] = [];
  const rides = uniqueName('rides');
  await createTopics(admin, [rides], 6);

  logger.info({ events: profile.events }, 'preloading rides with the producer CLI');
  const producerCli = [
    await runProducerCli(brokers, rides, ['--synthetic', '--limit', String(profile.events), '--max'], env),
  ];
  if (existsSync(TRIP_FILE)) {
    const scratch = uniqueName('replay');
    await createTopics(admin, [scratch], 6);
    producerCli.push(
      await runProducerCli(
        brokers,
        scratch,
        [
          '--file',
          'data/green_tripdata_2021-02.parquet',
          '--max',
          ...(profile.mode === 'smoke' ? ['--limit', '5000'] : []),
        ],
        env,
      ),
    );
  } else notes.push('producer CLI file replay skipped: data/ is empty (npm run data)');

  const bytes = eventBytes();
  logger.info('Kafka perf tools');
  const consumer = await consumerPerformance(brokers, rides, profile.events, uniqueName('perf-consumer'));
  const perfTopic = uniqueName('perf');
  await createTopics(admin, [perfTopic], 6);
  const producer = await producerPerformance(brokers, perfTopic, profile.events, bytes.record);

  const pipeline = [await runPipeline(admin, brokers, rides, profile.events, 1, launch, logger)];
  if (profile.twoConsumers)
    pipeline.push(await runPipeline(admin, brokers, rides, profile.events, 2, launch, logger));

  const peers = [];
  if (profile.peers) {
    await ensurePeersVenv();
    peers.push(await runPeer(admin, brokers, rides, 'course', profile.courseEvents, env, logger));
    peers.push(await runPeer(admin, brokers, rides, 'batched', profile.events, env, logger));
    notes.push(
      `the course-style peer scored the first ${profile.courseEvents.toLocaleString('en-US')} events (its rate is steady long before 1M)`,
    );
  }

  const latency = await runLatency(admin, brokers, profile, launch, logger);
  const levers = await runLevers(admin, brokers, profile.events, profile.levers, profile, launch, logger);
  let cluster: BenchResults['cluster'];
  if (profile.cluster && broker.kind === 'external')
    notes.push('no three-node cluster row: KAFKA_BROKERS names a cluster the bench did not start');
  else if (profile.cluster) cluster = await runOnCluster(profile.events, profile, launch, logger);
  const partial: Omit<BenchResults, 'goals'> = {
    mode: profile.mode,
    at: new Date().toISOString(),
    machine: machineFacts(),
    versions: await versions(),
    broker: `${broker.kind} (${brokers.join(',')})`,
    load_average_start: loadStart,
    load_average_end: loadAverage(),
    events: profile.events,
    event_bytes: bytes.value,
    record_bytes: bytes.record,
    consumer_env: config.consumerEnv,
    ceiling: { producer, consumer },
    producer_cli: producerCli,
    pipeline,
    latency,
    levers,
    peers,
    ...(cluster === undefined ? {} : { cluster }),
    notes,
    wall_seconds: (performance.now() - started) / 1000,
  };
  return { ...partial, goals: evaluateGoals(partial) };
}

async function main(): Promise<number> {
  // Every topic and group of the run says so in its name, on a shared cluster (KAFKA_BROKERS) too.
  nameAfter(() => 'bench');
  let config: BenchConfig;
  try {
    config = loadBenchConfig(process.argv.slice(2), process.env);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const logger = createLogger({ level: 'info', name: 'bench' }, process.stderr);
  // The bench's own Kafka clients (kafkajs on Node 24) warn as log lines, like the programs.
  routeProcessWarnings(logger);
  let broker: BrokerHandle | undefined;
  let admin: KafkaAdmin | undefined;
  const cleanup = async () => {
    await stopAllChildren();
    await admin?.disconnect().catch(() => undefined);
    await broker?.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, 'stopping: ending child processes and the broker');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    broker = await startBroker({ partitions: 6 });
    logger.info({ broker: broker.brokers, kind: broker.kind, mode: config.profile.mode }, 'broker up');
    // The admin's retried NOT_LEADER answers for fresh topics are expected: keep them out of the log.
    const quiet = logger.child({ component: 'admin' }, { level: 'fatal' });
    admin = createKafka({ brokers: broker.brokers, clientId: 'bench-admin' }, quiet).admin();
    await admin.connect();
    const results = await measure(config, broker, admin, logger);
    const files = await writeResults(results, config.publishDir, logger);
    process.stdout.write(`${files.markdown}\nResults: ${files.paths.join(', ')}\n`);
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
