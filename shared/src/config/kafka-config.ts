import { DEFAULT_KAFKA_CLIENT, KafkaClientNames } from '../kafka/port/kafka-port.js';
import type { KafkaSasl, KafkaSettings } from '../kafka/port/kafka-settings.js';
import type { TopicSettings } from '../kafka/port/topic-settings.js';
import type { EnvReader } from './env-reader.js';

export const DEFAULT_TOPICS: TopicSettings = {
  rides: 'rides',
  predictions: 'ride-predictions',
  deadLetters: 'rides.dlq',
  partitions: 6,
  replicationFactor: 1,
};

/** Where ride-completed events go (COMPLETIONS_TOPIC): the ground truth for the predictions. */
export const DEFAULT_COMPLETIONS_TOPIC = 'ride-completions';

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** KAFKA_* variables shared by producer and consumer, including TLS and SASL pass-through. */
export function readKafkaSettings(env: EnvReader, clientId: string): KafkaSettings {
  const settings: KafkaSettings = {
    brokers: env.list('KAFKA_BROKERS', ['127.0.0.1:9092']),
    clientId: env.string('KAFKA_CLIENT_ID', clientId),
    client: env.oneOf('KAFKA_CLIENT', KafkaClientNames, DEFAULT_KAFKA_CLIENT),
    connectionTimeoutMs: env.int('KAFKA_CONNECTION_TIMEOUT_MS', 3000, { min: 100 }),
    requestTimeoutMs: env.int('KAFKA_REQUEST_TIMEOUT_MS', 30000, { min: 100 }),
  };
  const ssl = env.bool('KAFKA_SSL', false);
  const ca = env.optionalString('KAFKA_SSL_CA');
  if (ssl || ca !== undefined) {
    settings.ssl = ca === undefined ? true : { ca, rejectUnauthorized: env.bool('KAFKA_SSL_VERIFY', true) };
  }
  const mechanism = env.optionalString('KAFKA_SASL_MECHANISM');
  if (mechanism !== undefined) {
    const picked = env.oneOf('KAFKA_SASL_MECHANISM', SASL_MECHANISMS, 'plain');
    const username = env.optionalString('KAFKA_SASL_USERNAME');
    const password = env.optionalString('KAFKA_SASL_PASSWORD');
    if (username === undefined || password === undefined) {
      env.problems.push(
        'KAFKA_SASL_MECHANISM is set but KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is missing: set both',
      );
    } else {
      const sasl: KafkaSasl = { mechanism: picked, username, password };
      settings.sasl = sasl;
    }
  }
  return settings;
}

export function readTopicSettings(env: EnvReader): TopicSettings {
  return {
    rides: env.string('RIDES_TOPIC', DEFAULT_TOPICS.rides),
    predictions: env.string('PREDICTIONS_TOPIC', DEFAULT_TOPICS.predictions),
    deadLetters: env.string('DLQ_TOPIC', DEFAULT_TOPICS.deadLetters),
    partitions: env.int('TOPIC_PARTITIONS', DEFAULT_TOPICS.partitions, { min: 1, max: 10000 }),
    replicationFactor: env.int('TOPIC_REPLICATION_FACTOR', DEFAULT_TOPICS.replicationFactor, {
      min: 1,
      max: 10,
    }),
  };
}

/** COMPLETIONS_TOPIC; kept out of TopicSettings, since only a program that writes or reads completions needs it. */
export function readCompletionsTopic(env: EnvReader): string {
  return env.string('COMPLETIONS_TOPIC', DEFAULT_COMPLETIONS_TOPIC);
}

/**
 * How records we write say what they are: `confluent` (default) frames Avro with its schema id and writes no headers;
 * `tagged` is the earlier contract (bare Avro named by a content-type header), for readers that have not moved yet.
 */
export const WireFormats = ['confluent', 'tagged'] as const;
export type WireFormat = (typeof WireFormats)[number];

export function readWireFormat(env: EnvReader): WireFormat {
  return env.oneOf('WIRE_FORMAT', WireFormats, 'confluent');
}

/** SCHEMA_REGISTRY_URL: register and resolve our Avro schemas there; unset, the fixed ids of schema-ids.json. */
export function readSchemaRegistryUrl(env: EnvReader): string | undefined {
  return env.optionalHttpUrl('SCHEMA_REGISTRY_URL');
}
