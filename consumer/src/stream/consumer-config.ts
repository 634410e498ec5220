import {
  type Env,
  EnvReader,
  type GroupProtocol,
  GroupProtocols,
  type KafkaSettings,
  type PredictionFormat,
  readKafkaSettings,
  readSchemaRegistryUrl,
  readTopicSettings,
  readWireFormat,
  type TopicSettings,
  type WireFormat,
} from '@ride/shared';
import { type ModelSourceSettings, readModelSourceSettings } from '@ride/shared/model';

import { DEFAULT_MODEL_PATH } from '../common/default-model-path.js';
import { type ProcessingGuarantee, ProcessingGuarantees } from './delivery/output-sink.js';

export interface ConsumerConfig {
  kafka: KafkaSettings;
  topics: TopicSettings;
  groupId: string;
  /** GROUP_PROTOCOL: 'classic' or 'consumer' (KIP-848; KAFKA_CLIENT=platformatic only, Kafka 4.0+). */
  groupProtocol: GroupProtocol;
  modelPath: string;
  format: PredictionFormat;
  /** SCHEMA_REGISTRY_URL: where our Avro schemas are registered and unknown ids resolved; unset = fixed ids. */
  schemaRegistryUrl: string | undefined;
  wire: WireFormat;
  fromBeginning: boolean;
  createTopics: boolean;
  maxBatch: number;
  maxMessageBytes: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  partitionsConsumedConcurrently: number;
  /** Upper bound of one fetch per partition: bounds the records decoded and held in memory at once. */
  fetchMaxBytesPerPartition: number;
  /**
   * How often the client refreshes cluster metadata. kafkajs fetches a partition only from the leader its metadata
   * names and refreshes on this timer alone, so a partition whose leader was unknown at the last refresh (a broker
   * restart's leader election) is not fetched until the next one.
   */
  metadataMaxAgeMs: number;
  /**
   * A partition the group is behind on with no batch of it finished for this long is stalled: the consumer
   * says so (metric, log, /readyz) and runs the client again from committed offsets (see ProgressWatchdog).
   */
  stallTimeoutMs: number;
  httpHost: string;
  httpPort: number;
  shutdownTimeoutMs: number;
  logLevel: string;
  onnxThreads: number;
  guarantee: ProcessingGuarantee;
  commitIntervalMs: number;
  /** MODEL_PATH as a location (folder, URL, models:/...) plus MODEL_CACHE_DIR, MODEL_POLL_INTERVAL_MS, MLFLOW_*. */
  modelSource: ModelSourceSettings;
  /** Shadow scoring: SHADOW_MODEL_PATH (same forms and cache as MODEL_PATH) written to SHADOW_TOPIC; off when unset. */
  shadow?: { source: ModelSourceSettings; topic: string };
  /** Canary: CANARY_MODEL_PATH answers CANARY_SHARE of the ride ids, rolled back on its live error; off when unset. */
  canary?: CanaryConfig;
}

export interface CanaryConfig {
  source: ModelSourceSettings;
  share: number;
  marginMinutes: number;
  minPairs: number;
  maxFailures: number;
  /** Where the evaluator publishes its windows, and the canary its rollbacks. */
  evaluationsTopic: string;
}

/** Every setting the consumer reads, validated at once; see the README's configuration table. */
export function loadConsumerConfig(env: Env, flags: Env = {}): ConsumerConfig {
  const r = new EnvReader(env, flags);
  const sessionTimeoutMs = r.int('SESSION_TIMEOUT_MS', 30_000, { min: 6_000, max: 300_000 });
  const config: ConsumerConfig = {
    kafka: readKafkaSettings(r, 'ride-scorer'),
    topics: readTopicSettings(r),
    groupId: r.string('CONSUMER_GROUP', 'ride-scorer'),
    groupProtocol: r.oneOf('GROUP_PROTOCOL', GroupProtocols, 'classic'),
    modelPath: r.string('MODEL_PATH', DEFAULT_MODEL_PATH),
    format: r.oneOf('PREDICTION_FORMAT', ['avro', 'json'], 'avro'),
    schemaRegistryUrl: readSchemaRegistryUrl(r),
    wire: readWireFormat(r),
    fromBeginning: r.bool('FROM_BEGINNING', true),
    createTopics: r.bool('CREATE_TOPICS', false),
    maxBatch: r.int('MAX_BATCH', 2000, { min: 1, max: 100_000 }),
    maxMessageBytes: r.int('MAX_MESSAGE_BYTES', 65_536, { min: 64 }),
    sessionTimeoutMs,
    heartbeatIntervalMs: r.int('HEARTBEAT_INTERVAL_MS', 3_000, { min: 100, max: sessionTimeoutMs / 3 }),
    // Partitions in flight together hide each chunk's produce round trip behind another partition's work.
    partitionsConsumedConcurrently: r.int('PARTITIONS_CONSUMED_CONCURRENTLY', 6, { min: 1, max: 64 }),
    fetchMaxBytesPerPartition: r.int('FETCH_MAX_BYTES_PER_PARTITION', 256 * 1024, {
      min: 1024,
      max: 64 * 1024 * 1024,
    }),
    metadataMaxAgeMs: r.int('METADATA_MAX_AGE_MS', 10_000, { min: 1000, max: 300_000 }),
    // Longer than a session timeout: a member that died is noticed by the group first, and its partitions
    // reassigned, before a survivor would call them stalled.
    stallTimeoutMs: r.int('STALL_TIMEOUT_MS', 4 * sessionTimeoutMs, {
      min: sessionTimeoutMs,
      max: 3_600_000,
    }),
    httpHost: r.string('HTTP_HOST', '0.0.0.0'),
    httpPort: r.int('HTTP_PORT', 8080, { min: 0, max: 65535 }),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 25_000, { min: 1000 }),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    onnxThreads: r.int('ONNX_THREADS', 1, { min: 1, max: 64 }),
    guarantee: r.oneOf('PROCESSING_GUARANTEE', ProcessingGuarantees, 'at_least_once'),
    commitIntervalMs: r.int('COMMIT_INTERVAL_MS', 1000, { min: 0, max: 60_000 }),
    modelSource: readModelSourceSettings(r, DEFAULT_MODEL_PATH),
  };
  const shadowPath = r.optionalString('SHADOW_MODEL_PATH');
  const shadowTopic = r.string('SHADOW_TOPIC', 'ride-predictions.shadow');
  if (shadowPath !== undefined) {
    if (shadowPath.startsWith('models:/') && config.modelSource.mlflowTrackingUri === undefined) {
      r.problems.push(`SHADOW_MODEL_PATH=${shadowPath} is an MLflow reference: set MLFLOW_TRACKING_URI`);
    }
    if ([config.topics.predictions, config.topics.rides, config.topics.deadLetters].includes(shadowTopic)) {
      r.problems.push(
        `SHADOW_TOPIC=${shadowTopic} must differ from the rides, predictions and dead-letter topics`,
      );
    }
    config.shadow = { source: { ...config.modelSource, location: shadowPath }, topic: shadowTopic };
  }
  const canary = readCanaryConfig(r, config);
  if (canary !== undefined) config.canary = canary;
  if (config.groupProtocol === 'consumer' && config.kafka.client !== 'platformatic') {
    r.problems.push(
      `GROUP_PROTOCOL=consumer (KIP-848) needs KAFKA_CLIENT=platformatic: ${config.kafka.client} speaks only the classic protocol`,
    );
  }
  r.finish();
  return Object.freeze(config);
}

function readCanaryConfig(r: EnvReader, config: ConsumerConfig): CanaryConfig | undefined {
  const path = r.optionalString('CANARY_MODEL_PATH');
  const settings: CanaryConfig = {
    source: { ...config.modelSource, location: path ?? '' },
    share: r.number('CANARY_SHARE', 0.1, { min: 0, max: 1 }),
    marginMinutes: r.number('CANARY_MARGIN_MINUTES', 0.5, { min: 0 }),
    minPairs: r.int('CANARY_MIN_PAIRS', 500, { min: 1 }),
    maxFailures: r.int('CANARY_MAX_FAILURES', 10, { min: 0 }),
    evaluationsTopic: r.string('EVALUATIONS_TOPIC', 'ride-evaluations'),
  };
  if (path === undefined) return undefined;
  if (path.startsWith('models:/') && config.modelSource.mlflowTrackingUri === undefined) {
    r.problems.push(`CANARY_MODEL_PATH=${path} is an MLflow reference: set MLFLOW_TRACKING_URI`);
  }
  if (settings.share === 0 || settings.share === 1) {
    r.problems.push(
      `CANARY_SHARE=${settings.share} leaves no split: give the candidate a share between 0 and 1 (e.g. 0.2), or promote it`,
    );
  }
  if (config.shadow !== undefined) {
    r.problems.push(
      'CANARY_MODEL_PATH and SHADOW_MODEL_PATH together: run one candidate at a time (unset one)',
    );
  }
  const taken = [config.topics.predictions, config.topics.rides, config.topics.deadLetters];
  if (taken.includes(settings.evaluationsTopic)) {
    r.problems.push(
      `EVALUATIONS_TOPIC=${settings.evaluationsTopic} must differ from the rides, predictions and dead-letter topics`,
    );
  }
  return settings;
}
