export {
  createResolver,
  type OurSchema,
  parseAvroSchema,
  RIDE_COMPLETED_LATEST,
  RIDE_PREDICTION_LATEST,
  RIDE_STARTED_LATEST,
  rideCompletedSchemas,
  rideCompletedTypes,
  ridePredictionSchemas,
  ridePredictionTypes,
  rideStartedSchemas,
  rideStartedTypes,
} from './avro/avro-types.js';
export {
  type DecodedRide,
  decodePrediction,
  decodeRide,
  encodePrediction,
  encodePredictionTagged,
  encodeRideStarted,
  encodeRideStartedTagged,
  type PredictionEncoding,
  type PredictionFormat,
  RideStartedReader,
} from './avro/ride-codec.js';
export {
  decodeRideCompleted,
  encodeRideCompleted,
  encodeRideCompletedJson,
} from './avro/ride-completed-codec.js';
export type {
  RideCompleted,
  RideCompletedV1,
  RidePrediction,
  RideStarted,
  RideStartedV1,
  RideStartedV2,
} from './avro/ride-events.js';
export {
  openSchemaCatalog,
  type RecordKind,
  SchemaCatalog,
  valueSubject,
  type WrittenTopics,
} from './avro/schema-catalog.js';
export { SchemaRegistryClient, type SchemaRegistryOptions } from './avro/schema-registry-client.js';
export {
  encodeFramed,
  FRAME_HEADER_BYTES,
  framedSchemaId,
  looksFramed,
  MAGIC_BYTE,
} from './avro/wire-format.js';
export type { Env, FlagNames } from './config/env.js';
export { EnvReader } from './config/env-reader.js';
export { flagsToEnv } from './config/flags-to-env.js';
export {
  DEFAULT_COMPLETIONS_TOPIC,
  DEFAULT_TOPICS,
  readCompletionsTopic,
  readKafkaSettings,
  readSchemaRegistryUrl,
  readTopicSettings,
  readWireFormat,
  type WireFormat,
  WireFormats,
} from './config/kafka-config.js';
export { ContentTypes, Headers, parseAvroContentType } from './contracts/headers.js';
export {
  BrokerError,
  ConfigError,
  DataFileError,
  type ErrorCode,
  ErrorCodes,
  EventError,
  type EventErrorCode,
  GroupMovedOnError,
  ModelError,
  type ModelErrorCode,
  NodeVersionError,
  OutputError,
  RequestError,
  type RetriableErrorOptions,
  RideError,
  type RideErrorOptions,
  SchemaRegistryError,
  StallError,
} from './errors.js';
export { jsonMemberSources } from './json/json-member-sources.js';
export { type JsonRideId, readJsonRideId } from './json/json-ride-id.js';
export { checkBrokers } from './kafka/check-brokers.js';
export { retryBudgetMs } from './kafka/common/whole-call-retry.js';
export { ensureTopics } from './kafka/ensure-topics.js';
export { IdempotentProducer } from './kafka/idempotent-producer.js';
export { createKafka } from './kafka/kafka-client.js';
export {
  type BatchConsumer,
  type CommittedPosition,
  type CompressionName,
  CompressionNames,
  type ConsumerEvents,
  type ConsumerSettings,
  DEFAULT_KAFKA_CLIENT,
  type FetchedBatch,
  type GroupDescription,
  type GroupMetadata,
  type GroupProtocol,
  GroupProtocols,
  type InRecord,
  type KafkaAdmin,
  type KafkaClient,
  type KafkaClientName,
  KafkaClientNames,
  type OutRecord,
  type PartitionOffset,
  type ProducerSettings,
  type RecordHeaders,
  type RecordProducer,
  type RunOptions,
  type SendOptions,
  type TopicRecords,
  type TopicSpec,
  type Transaction,
  type TransactionalProducer,
  type TransactionalSettings,
} from './kafka/port/kafka-port.js';
export type { KafkaSasl, KafkaSettings } from './kafka/port/kafka-settings.js';
export type { TopicSettings } from './kafka/port/topic-settings.js';
export { SendCoalescer } from './kafka/send-coalescer.js';
export { type ExitCode, ExitCodes } from './lifecycle/exit-codes.js';
export { exitCodeFor, reportFatal } from './lifecycle/report-fatal.js';
export { Shutdown } from './lifecycle/shutdown.js';
export { MIN_NODE_VERSION, requireSupportedNode } from './lifecycle/supported-node.js';
export { createLogger, type Logger, REDACT_PATHS, routeProcessWarnings } from './logger.js';
// nyc-time has no native import and the TLC reader and request parsing need it; the rest of model/ is at
// `@ride/shared/model` because the scorer loads onnxruntime's native library (issue #13).
export { NYC_TIME_ZONE, nycLocalToEpochMs, nycTimeParts, nycWallToEpochMs } from './model/nyc-time.js';
export { isCourseDuration, readTrips, type TlcTrip } from './tlc/read-trips.js';
export { readZones, type Zone } from './tlc/zone-names.js';
