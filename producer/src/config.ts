import {
  type CompressionName,
  type Env,
  EnvReader,
  type KafkaSettings,
  readCompletionsTopic,
  readKafkaSettings,
  readSchemaRegistryUrl,
  readTopicSettings,
  readWireFormat,
  type TopicSettings,
  type WireFormat,
} from '@ride/shared';
import type { Pace } from './replay.js';

export interface ProducerConfig {
  kafka: KafkaSettings;
  topics: TopicSettings;
  logLevel: string;
  compression: CompressionName;
  format: 'avro' | 'json';
  schemaRegistryUrl: string | undefined;
  wire: WireFormat;
  source:
    | { kind: 'file'; path: string; offset: number; limit: number | undefined }
    | { kind: 'synthetic'; seed: number; limit: number | undefined };
  pace: Pace;
  /** With --completions: the topic each ride's completion goes to, at its drop-off time; unset, rides only. */
  completionsTopic: string | undefined;
  batchSize: number;
  durationMs: number | undefined;
  createTopics: boolean;
  shutdownTimeoutMs: number;
}

/**
 * The producer's own flags and the variables they set (docs/configuration.md). Any other variable can be
 * given as the flag it names, as for every program: `--kafka-brokers` is KAFKA_BROKERS, `--create-topics`
 * CREATE_TOPICS=true.
 */
export const PRODUCER_FLAGS = {
  file: 'PRODUCER_FILE',
  synthetic: 'PRODUCER_SYNTHETIC',
  seed: 'PRODUCER_SEED',
  rate: 'PRODUCER_RATE',
  speedup: 'PRODUCER_SPEEDUP',
  max: 'PRODUCER_MAX',
  limit: 'PRODUCER_LIMIT',
  offset: 'PRODUCER_OFFSET',
  completions: 'PRODUCER_COMPLETIONS',
  duration: 'PRODUCER_DURATION_S',
  'batch-size': 'PRODUCER_BATCH_SIZE',
  format: 'PRODUCER_FORMAT',
  compression: 'PRODUCER_COMPRESSION',
} as const;

const F = PRODUCER_FLAGS;

export const USAGE = `Usage: ride-producer [--file <tlc.parquet> | --synthetic] [--rate <ev/s> | --speedup <x> | --max]
  --file <path>        PRODUCER_FILE           replay a TLC green-taxi parquet file (ride ids: <file>:<row>)
  --synthetic          PRODUCER_SYNTHETIC      an endless seeded synthetic stream (--seed <n>, PRODUCER_SEED)
  --rate <n>           PRODUCER_RATE           fixed rate in events per second
  --speedup <x>        PRODUCER_SPEEDUP        the file's own pace (pickups, drop-offs), x times faster
  --max                PRODUCER_MAX            as fast as the broker acknowledges (default)
  --limit <n>          PRODUCER_LIMIT          stop after n rides; --offset <n> (PRODUCER_OFFSET) skips rows of the file
  --completions        PRODUCER_COMPLETIONS    with --file: also each ride's completion at its drop-off time, in time
                                               order with the rides, on COMPLETIONS_TOPIC (default ride-completions)
  --duration <s>       PRODUCER_DURATION_S     stop after s seconds
  --batch-size <n>     PRODUCER_BATCH_SIZE     events (rides, completions) per send (default 500)
  --format avro|json   PRODUCER_FORMAT         avro (default) or the course's JSON event
  --compression <c>    PRODUCER_COMPRESSION    none|gzip (default none; kafkajs ships only the gzip codec)
  --create-topics      CREATE_TOPICS           create the topics if missing
Flags win over the variables. Any other variable is also a flag (--kafka-brokers is KAFKA_BROKERS): KAFKA_BROKERS,
RIDES_TOPIC, COMPLETIONS_TOPIC, TOPIC_PARTITIONS, SCHEMA_REGISTRY_URL, WIRE_FORMAT, KAFKA_SSL, KAFKA_SASL_*,
LOG_LEVEL, SHUTDOWN_TIMEOUT_MS`;

/** Reads flags (see flagsToEnv and PRODUCER_FLAGS) and environment once, reporting all problems together. */
export function loadProducerConfig(env: Env, flags: Env = {}): ProducerConfig {
  const r = new EnvReader(env, flags, PRODUCER_FLAGS);
  const file = r.optionalString(F.file);
  const synthetic = r.bool(F.synthetic, false);
  if (file !== undefined && synthetic)
    r.problems.push(`${r.label(F.file)} and ${r.label(F.synthetic)} exclude each other: pick one`);
  if (file === undefined && !synthetic)
    r.problems.push(`give --file <tlc.parquet> or --synthetic (${F.file}, ${F.synthetic}=true)\n${USAGE}`);
  const limit = r.optionalInt(F.limit, { min: 1 });
  // Both read whatever the source, so neither is refused as an unknown flag; each applies to its source only.
  const offset = r.int(F.offset, 0, { min: 0 });
  const seed = r.int(F.seed, 42);
  const durationS = r.optionalNumber(F.duration, { min: 0.001 });
  const topics = readTopicSettings(r);
  const config: ProducerConfig = {
    kafka: readKafkaSettings(r, 'ride-producer'),
    topics,
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    compression: r.oneOf(F.compression, ['none', 'gzip'], 'none'),
    format: r.oneOf(F.format, ['avro', 'json'], 'avro'),
    schemaRegistryUrl: readSchemaRegistryUrl(r),
    wire: readWireFormat(r),
    source:
      file !== undefined ? { kind: 'file', path: file, offset, limit } : { kind: 'synthetic', seed, limit },
    pace: readPace(r, file !== undefined),
    completionsTopic: readCompletions(r, file !== undefined, topics.rides),
    batchSize: r.int(F['batch-size'], 500, { min: 1, max: 100_000 }),
    durationMs: durationS === undefined ? undefined : durationS * 1000,
    createTopics: r.bool('CREATE_TOPICS', false),
    // Longer than a batch in flight needs to be acknowledged by a healthy broker; bounds a stop during an outage.
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 25_000, { min: 1000 }),
  };
  r.finish();
  return Object.freeze(config);
}

/** PRODUCER_COMPLETIONS and COMPLETIONS_TOPIC: the completions topic when completions are replayed. */
function readCompletions(r: EnvReader, hasFile: boolean, ridesTopic: string): string | undefined {
  const on = r.bool(F.completions, false);
  const topic = readCompletionsTopic(r);
  if (!on) return undefined;
  if (!hasFile)
    r.problems.push(`${r.label(F.completions)} needs a file (synthetic rides have no drop-off time)`);
  if (topic === ridesTopic)
    r.problems.push(
      `${r.label('COMPLETIONS_TOPIC')} must differ from RIDES_TOPIC (both are ${JSON.stringify(topic)}): the ` +
        'scorer reads every record there as a ride',
    );
  return topic;
}

/** One of PRODUCER_RATE, PRODUCER_SPEEDUP (a file's own pace) or PRODUCER_MAX (the default). */
function readPace(r: EnvReader, hasFile: boolean): Pace {
  const rate = r.optionalNumber(F.rate, { min: 0.001 });
  const speedup = r.optionalNumber(F.speedup, { min: 0.001 });
  const max = r.bool(F.max, false);
  const chosen = [rate !== undefined && F.rate, speedup !== undefined && F.speedup, max && F.max]
    .filter((name) => name !== false)
    .map((name) => r.label(name));
  if (chosen.length > 1) r.problems.push(`${chosen.join(', ')} exclude each other: pick one`);
  if (speedup !== undefined && !hasFile)
    r.problems.push(`${r.label(F.speedup)} needs a file (synthetic rides have no pace of their own)`);
  if (rate !== undefined) return { kind: 'rate', perSecond: rate };
  if (speedup !== undefined) return { kind: 'speedup', factor: speedup };
  return { kind: 'max' };
}
