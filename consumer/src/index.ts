export { DEFAULT_MODEL_PATH } from './common/default-model-path.js';
export { type ConsumerConfig, loadConsumerConfig } from './stream/consumer-config.js';
export { ConsumerMetrics } from './stream/consumer-metrics.js';
export { deadLetter } from './stream/dead-letter.js';
export { createHttpServer, type HealthState } from './stream/http-server.js';
export type { InputMessage, RecordSource } from './stream/input-message.js';
export {
  AtLeastOnceSink,
  ExactlyOnceSink,
  type OutputSink,
  type ProcessingGuarantee,
  ProcessingGuarantees,
} from './stream/output-sink.js';
export { type BatchDeps, type BatchOutcome, processBatch } from './stream/process-batch.js';
export { ScoringConsumer, type ScoringConsumerOptions } from './stream/scoring-consumer.js';
