// The only file that imports kafkajs: if we ever move to another client, this file is the migration.
import {
  type Admin,
  CompressionTypes,
  type Consumer,
  type ConsumerConfig,
  type EachBatchPayload,
  type IHeaders,
  Kafka,
  type KafkaConfig,
  logLevel,
  type Message,
  Partitioners,
  type Producer,
  type ProducerConfig,
  type SASLOptions,
  type TopicMessages,
  type Transaction,
} from 'kafkajs';
import type { Logger } from '../logger.js';

export type {
  Admin,
  Consumer,
  ConsumerConfig,
  EachBatchPayload,
  IHeaders,
  Message,
  Producer,
  ProducerConfig,
  TopicMessages,
  Transaction,
};

export const Compression = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
} as const;
export type CompressionName = keyof typeof Compression;

export interface KafkaSasl {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

export interface KafkaSettings {
  brokers: readonly string[];
  clientId: string;
  ssl?: boolean | { ca?: string; rejectUnauthorized?: boolean };
  sasl?: KafkaSasl;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Creates a kafkajs client whose own logs flow into our pino logger (component=kafkajs). */
export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    requestTimeout: settings.requestTimeoutMs ?? 30000,
    logLevel: logLevel.WARN,
    // Ride out a broker restart (tens of seconds) before a request is reported failed.
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5000 },
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, timestamp: _ts, logger: _name, ...rest } = entry;
        log[levelNames[level] ?? 'info']({ kafkajs: rest }, message);
      },
  };
  if (settings.ssl !== undefined) config.ssl = settings.ssl;
  if (settings.sasl !== undefined) config.sasl = settings.sasl as SASLOptions;
  return new Kafka(config);
}

export type { Kafka };

/**
 * kafkajs 2's default partitioner (murmur2, as the Java client). Passing it explicitly also silences the
 * v2 migration warning; every producer we create uses it.
 */
export const DefaultPartitioner = Partitioners.DefaultPartitioner;
