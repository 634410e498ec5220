import type { TopicRecords } from '@ride/shared';
import type { BatchOutcome } from './process-batch.js';

/** Where a chunk's outputs go. */
export interface OutputTopics {
  predictions: string;
  deadLetters: string;
  /** Shadow scoring's predictions (see processBatch). */
  shadow?: string;
}

/** A chunk's records by topic, for one send: predictions, dead letters, then shadow predictions. */
export function batchOutputs(outcome: BatchOutcome, topics: OutputTopics): TopicRecords[] {
  const outputs: TopicRecords[] = [];
  if (outcome.predictions.length > 0)
    outputs.push({ topic: topics.predictions, messages: outcome.predictions });
  if (outcome.deadLetters.length > 0)
    outputs.push({ topic: topics.deadLetters, messages: outcome.deadLetters });
  const shadow = outcome.shadow?.predictions ?? [];
  if (topics.shadow !== undefined && shadow.length > 0)
    outputs.push({ topic: topics.shadow, messages: shadow });
  return outputs;
}
