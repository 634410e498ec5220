import type {
  InRecord,
  Logger,
  PredictionFormat,
  SchemaCatalog,
  TopicRecords,
  WireFormat,
} from '@ride/shared';
import type { ModelScorer } from '@ride/shared/model';
import type { Canary } from '../canary/canary.js';
import type { DriftCounts } from '../drift/drift-metrics.js';
import { FeatureBins } from '../drift/feature-bins.js';
import { batchOutputs, type OutputTopics } from './batch-outputs.js';
import type { RecordSource } from './input-message.js';
import { type BatchOutcome, processBatch } from './process-batch.js';

export interface ChunkScorerOptions {
  /** The model to score with; asked once per chunk, so a live swap takes effect between chunks. */
  scorer: () => ModelScorer;
  /** Shadow scoring: a second model on the same chunks, its predictions to `topic` (see processBatch). */
  shadow?: { scorer: () => ModelScorer; topic: string };
  /** A candidate answering a share of the rides (see Canary); asked once per chunk. */
  canary?: Canary;
  topics: { predictions: string; deadLetters: string };
  format: PredictionFormat;
  wire: WireFormat;
  /** Schema ids to write and writer schemas to read (fixed or a registry's, see openSchemaCatalog). */
  catalog: SchemaCatalog;
  maxMessageBytes: number;
  logger: Logger;
}

/** A scored chunk: its outputs by topic for one send, and what the metrics record once they are acknowledged. */
export interface ScoredChunk {
  outputs: TopicRecords[];
  outcome: BatchOutcome;
  size: number;
  /** The chunk's answered rides per version and feature bin, for the drift metrics. */
  drift: DriftCounts[];
}

/** Scores chunks of one topic's records into the predictions and dead letters to publish (no Kafka here). */
export class ChunkScorer {
  private readonly options: ChunkScorerOptions;
  private readonly outputTopics: OutputTopics;
  private readonly schemaIds: { predictions: number; shadow?: number };
  /** Each model's drift reference, read once; null when it has none (or a broken one, logged once). */
  private readonly bins = new WeakMap<ModelScorer, FeatureBins | null>();

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
    const canary = this.options.canary?.route();
    const outcome = await processBatch(chunk, source, {
      scorer,
      shadow: this.options.shadow?.scorer(),
      canary,
      format: this.options.format,
      wire: this.options.wire,
      catalog: this.options.catalog,
      schemaIds: this.schemaIds,
      maxMessageBytes: this.options.maxMessageBytes,
      now: Date.now,
    });
    if (outcome.canary !== undefined)
      this.options.canary?.failed(outcome.canary.version, outcome.canary.failed);
    const outputs = batchOutputs(outcome, this.outputTopics);
    const models = canary === undefined ? [scorer] : [scorer, canary.scorer];
    return { outputs, outcome, size: chunk.length, drift: this.driftCounts(outcome, models) };
  }

  private driftCounts(outcome: BatchOutcome, models: readonly ModelScorer[]): DriftCounts[] {
    const drift: DriftCounts[] = [];
    for (const [version, rides] of outcome.answeredBy) {
      const model = models.find((m) => m.version === version);
      const bins = model && this.binsOf(model);
      if (bins) drift.push({ version, bins, counts: bins.count(rides) });
    }
    return drift;
  }

  private binsOf(model: ModelScorer): FeatureBins | null {
    let bins = this.bins.get(model);
    if (bins === undefined) {
      const read = FeatureBins.fromMetadata(model.metadata);
      bins = read instanceof FeatureBins ? read : null;
      if (Array.isArray(read)) {
        this.options.logger.error(
          { version: model.version, problems: read },
          "the model's drift_reference is broken: no drift figures for it; re-export it with models/train.py",
        );
      }
      this.bins.set(model, bins);
    }
    return bins;
  }
}
