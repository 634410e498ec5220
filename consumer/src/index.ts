export { type ConsumerConfig, DEFAULT_MODEL_PATH, loadConsumerConfig } from './config.js';
export { deadLetter } from './dead-letter.js';
export { createHttpServer, type HealthState } from './http-server.js';
export type { InputMessage, RecordSource } from './input-message.js';
export { ConsumerMetrics } from './metrics.js';
export {
  AtLeastOnceSink,
  ExactlyOnceSink,
  type OutputSink,
  type ProcessingGuarantee,
  ProcessingGuarantees,
} from './output-sink.js';
export { type BatchDeps, type BatchOutcome, processBatch } from './process-batch.js';
export { ScoringConsumer, type ScoringConsumerOptions } from './scoring-consumer.js';
