export { DEFAULT_MODEL_PATH } from './common/default-model-path.js';
export { createHttpServer, type HealthState } from './common/http-server.js';
export { type ConsumerConfig, loadConsumerConfig } from './stream/consumer-config.js';
export { ConsumerMetrics } from './stream/consumer-metrics.js';
export { deadLetter } from './stream/core/dead-letter.js';
export type { InputMessage, RecordSource } from './stream/core/input-message.js';
export { type BatchDeps, type BatchOutcome, processBatch } from './stream/core/process-batch.js';
export { AtLeastOnceSink } from './stream/delivery/at-least-once-sink.js';
export { ExactlyOnceSink } from './stream/delivery/exactly-once-sink.js';
export {
  type OutputSink,
  type ProcessingGuarantee,
  ProcessingGuarantees,
} from './stream/delivery/output-sink.js';
export { ScoringConsumer, type ScoringConsumerOptions } from './stream/scoring-consumer.js';
