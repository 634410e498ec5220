import { parseArgs } from 'node:util';
import {
  type CompressionName,
  ConfigError,
  type Env,
  EnvReader,
  type KafkaSettings,
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
  batchSize: number;
  durationMs: number | undefined;
  createTopics: boolean;
}

export const USAGE = `Usage: ride-producer [--file <tlc.parquet> | --synthetic] [--rate <ev/s> | --speedup <x> | --max]
  --file <path>        replay a TLC green-taxi parquet file (ride ids: <file>:<row>)
  --synthetic          an endless seeded synthetic stream (--seed <n>)
  --rate <n>           fixed rate in events per second
  --speedup <x>        the file's own pickup pace, x times faster
  --max                as fast as the broker acknowledges (default)
  --limit <n>          stop after n rides; --offset <n> skips rows of the file
  --duration <s>       stop after s seconds
  --batch-size <n>     rides per send (default 500)
  --format avro|json   avro (default) or the course's JSON event
  --compression <c>    none|gzip (default none; kafkajs ships only the gzip codec)
  --create-topics      create the topics if missing
Environment: KAFKA_BROKERS, RIDES_TOPIC, TOPIC_PARTITIONS, SCHEMA_REGISTRY_URL, WIRE_FORMAT, KAFKA_SSL, KAFKA_SASL_*, LOG_LEVEL`;

/** Reads flags and environment once, validating everything and reporting all problems together. */
export function loadProducerConfig(env: Env, argv: readonly string[]): ProducerConfig {
  const reader = new EnvReader(env);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        file: { type: 'string' },
        synthetic: { type: 'boolean' },
        seed: { type: 'string' },
        rate: { type: 'string' },
        speedup: { type: 'string' },
        max: { type: 'boolean' },
        limit: { type: 'string' },
        offset: { type: 'string' },
        duration: { type: 'string' },
        'batch-size': { type: 'string' },
        format: { type: 'string' },
        compression: { type: 'string' },
        'create-topics': { type: 'boolean' },
      },
    }).values;
  } catch (err) {
    throw new ConfigError([`${(err as Error).message}\n${USAGE}`]);
  }
  // Flags win over environment variables of the same meaning.
  const flag = (name: string, envName: string) => ({ [envName]: values[name] as string | undefined });
  const flags = new EnvReader({
    ...flag('seed', 'seed'),
    ...flag('rate', '--rate'),
    ...flag('speedup', '--speedup'),
    ...flag('limit', '--limit'),
    ...flag('offset', '--offset'),
    ...flag('duration', '--duration'),
    ...flag('batch-size', '--batch-size'),
    '--format': (values.format as string | undefined) ?? env.PRODUCER_FORMAT,
    '--compression': (values.compression as string | undefined) ?? env.PRODUCER_COMPRESSION,
  });
  const limitValue = flags.int('--limit', -1, { min: 1 });
  const limit = limitValue === -1 ? undefined : limitValue;
  const file = values.file as string | undefined;
  if (file !== undefined && values.synthetic)
    reader.problems.push('--file and --synthetic exclude each other: pick one');
  if (file === undefined && !values.synthetic)
    reader.problems.push(`give --file <tlc.parquet> or --synthetic\n${USAGE}`);
  const paces = [values.rate !== undefined, values.speedup !== undefined, values.max === true].filter(
    Boolean,
  ).length;
  if (paces > 1) reader.problems.push('--rate, --speedup and --max exclude each other: pick one');
  let pace: Pace = { kind: 'max' };
  if (values.rate !== undefined)
    pace = { kind: 'rate', perSecond: flags.number('--rate', 1000, { min: 0.001 }) };
  if (values.speedup !== undefined)
    pace = { kind: 'speedup', factor: flags.number('--speedup', 60, { min: 0.001 }) };
  if (pace.kind === 'speedup' && file === undefined)
    reader.problems.push('--speedup needs --file (synthetic rides have no pace of their own)');
  const durationS = flags.number('--duration', -1, { min: 0.001 });
  const config: ProducerConfig = {
    kafka: readKafkaSettings(reader, 'ride-producer'),
    topics: readTopicSettings(reader),
    logLevel: reader.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    compression: flags.oneOf('--compression', ['none', 'gzip'], 'none'),
    format: flags.oneOf('--format', ['avro', 'json'], 'avro'),
    schemaRegistryUrl: readSchemaRegistryUrl(reader),
    wire: readWireFormat(reader),
    source:
      file !== undefined
        ? { kind: 'file', path: file, offset: flags.int('--offset', 0, { min: 0 }), limit }
        : { kind: 'synthetic', seed: flags.int('seed', 42), limit },
    pace,
    batchSize: flags.int('--batch-size', 500, { min: 1, max: 100_000 }),
    durationMs: durationS === -1 ? undefined : durationS * 1000,
    createTopics: values['create-topics'] === true,
  };
  reader.problems.push(...flags.problems);
  reader.finish();
  return Object.freeze(config);
}
