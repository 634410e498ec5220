import type { InRecord, PredictionFormat, SchemaCatalog, TopicRecords, WireFormat } from '@ride/shared';
import type { ModelScorer } from '@ride/shared/model';
import { batchOutputs, type OutputTopics } from './batch-outputs.js';
import type { RecordSource } from './input-message.js';
import { type BatchOutcome, processBatch } from './process-batch.js';

export interface ChunkScorerOptions {
  /** The model to score with; asked once per chunk, so a live swap takes effect between chunks. */
  scorer: () => ModelScorer;
  /** Shadow scoring: a second model on the same chunks, its predictions to `topic` (see processBatch). */
  shadow?: { scorer: () => ModelScorer; topic: string };
  topics: { predictions: string; deadLetters: string };
  format: PredictionFormat;
  wire: WireFormat;
  /** Schema ids to write and writer schemas to read (fixed or a registry's, see openSchemaCatalog). */
  catalog: SchemaCatalog;
  maxMessageBytes: number;
}

/** A scored chunk: its outputs by topic for one send, and what the metrics record once they are acknowledged. */
export interface ScoredChunk {
  outputs: TopicRecords[];
  outcome: BatchOutcome;
  size: number;
  /** The version of the model that answered the chunk. */
  version: string;
}

/** Scores chunks of one topic's records into the predictions and dead letters to publish (no Kafka here). */
export class ChunkScorer {
  private readonly options: ChunkScorerOptions;
  private readonly outputTopics: OutputTopics;
  private readonly schemaIds: { predictions: number; shadow?: number };

  constructor(options: ChunkScorerOptions) {
    const { catalog, topics, shadow } = options;
    this.options = options;
    this.outputTopics = { ...topics, shadow: shadow?.topic };
    this.schemaIds = {
      predictions: catalog.writeId('ride-prediction', topics.predictions),
      shadow: shadow && catalog.writeId('ride-prediction', shadow.topic),
    };
  }

  async score(chunk: InRecord[], source: RecordSource): Promise<ScoredChunk> {
    const scorer = this.options.scorer();
    const outcome = await processBatch(chunk, source, {
      scorer,
      shadow: this.options.shadow?.scorer(),
      format: this.options.format,
      wire: this.options.wire,
      catalog: this.options.catalog,
      schemaIds: this.schemaIds,
      maxMessageBytes: this.options.maxMessageBytes,
      now: Date.now,
    });
    const outputs = batchOutputs(outcome, this.outputTopics);
    return { outputs, outcome, size: chunk.length, version: scorer.version };
  }
}
