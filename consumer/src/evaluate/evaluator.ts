import {
  type BatchConsumer,
  type CommittedPosition,
  ConfigError,
  decodePrediction,
  decodeRideCompleted,
  type FetchedBatch,
  Headers,
  type InRecord,
  type KafkaAdmin,
  type KafkaClient,
  type Logger,
  type TransactionalProducer,
} from '@ride/shared';
import { headerString } from '../common/header-string.js';
import { evaluationRecord } from './evaluation-record.js';
import type { EvaluatorConfig } from './evaluator-config.js';
import type { EvaluatorMetrics } from './evaluator-metrics.js';
import { type InputPosition, PartitionJoin, parseCheckpoint } from './partition-join.js';

type Side = 'prediction' | 'completion';

/** Pause after a failed batch before it is fetched again (a broker away, a coordinator moving). */
const RETRY_DELAY_MS = 1000;

/** One owned partition number: its join, and the transactional producer that fences its previous owner. */
interface OwnedPartition {
  join: PartitionJoin;
  producer: TransactionalProducer;
}

/**
 * The evaluator: a consumer group reading predictions and completions co-partitioned, joining them per partition
 * number (PartitionJoin) and publishing each window's figures once, in a transaction with the offsets it still needs
 * and its checkpoint. A partition's state is rebuilt after every join by reading again from those offsets.
 */
export class Evaluator {
  private readonly config: EvaluatorConfig;
  private readonly client: KafkaClient;
  private readonly metrics: EvaluatorMetrics;
  private readonly log: Logger;
  private readonly admin: KafkaAdmin;
  private readonly owned = new Map<number, OwnedPartition>();
  private consumer: BatchConsumer | undefined;
  private joined = false;

  constructor(deps: {
    config: EvaluatorConfig;
    client: KafkaClient;
    metrics: EvaluatorMetrics;
    logger: Logger;
  }) {
    this.config = deps.config;
    this.client = deps.client;
    this.metrics = deps.metrics;
    this.log = deps.logger.child({ component: 'evaluator' });
    this.admin = deps.client.admin();
  }

  /** In the group with its partitions assigned. */
  get ready(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    await this.admin.connect();
    const partitions = await this.coPartitioned();
    await this.admin.createTopics([{ topic: this.config.evaluationsTopic, numPartitions: partitions }]);
    const consumer = this.client.consumer({
      groupId: this.config.groupId,
      groupProtocol: this.config.groupProtocol,
      assignment: 'co-partitioned',
      readCommitted: true,
      sessionTimeoutMs: this.config.sessionTimeoutMs,
    });
    this.consumer = consumer;
    consumer.on('joined', () => this.rejoined());
    await consumer.connect();
    await consumer.subscribe(this.config.predictionsTopic, { fromBeginning: true });
    await consumer.subscribe(this.config.completionsTopic, { fromBeginning: true });
    // One partition at a time: a partition number's two inputs share one join and one transactional producer.
    await consumer.run({ concurrency: 1, eachBatch: (batch) => this.handle(batch) });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.consumer?.disconnect();
    await this.release();
    await this.admin.disconnect();
  }

  /** Both inputs must have the same partition count: a ride's records then share a partition number. */
  private async coPartitioned(): Promise<number> {
    const { predictionsTopic, completionsTopic } = this.config;
    const [p, c] = await Promise.all([
      this.admin.partitionLeaders(predictionsTopic),
      this.admin.partitionLeaders(completionsTopic),
    ]);
    if (p.size !== c.size) {
      throw new ConfigError([
        `${predictionsTopic} has ${p.size} partitions and ${completionsTopic} ${c.size}: the evaluator joins a ride's ` +
          'prediction and completion by partition number, so give both topics the same count (and the same key, the ride id)',
      ]);
    }
    return p.size;
  }

  /**
   * A batch that fails (a claim or a transaction the broker refused) leaves nothing behind: the partition's state is
   * dropped and the batch left unresolved, so the partition is claimed again and read from what was committed.
   */
  private async handle(batch: FetchedBatch): Promise<void> {
    if (this.consumer === undefined || batch.isStale() || batch.messages.length === 0) return;
    try {
      await this.evaluate(batch);
    } catch (err) {
      this.log.warn(
        { err, topic: batch.topic, partition: batch.partition },
        'batch failed: the partition is read again',
      );
      this.drop(batch.partition);
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }

  private async evaluate(batch: FetchedBatch): Promise<void> {
    const side: Side = batch.topic === this.config.predictionsTopic ? 'prediction' : 'completion';
    let owned = this.owned.get(batch.partition);
    if (owned === undefined) {
      owned = await this.claim(batch.partition);
      // The seeks to the committed offsets made this batch stale: it is fetched again from there.
      if (batch.isStale()) return;
    }
    const { join } = owned;
    const before = join.counts;
    for (const record of batch.messages) this.read(join, side, batch.topic, record);
    const windows = join.close();
    const offsets = this.offsets(batch.partition, join);
    let txn: Awaited<ReturnType<TransactionalProducer['begin']>> | undefined;
    try {
      txn = await owned.producer.begin();
      if (windows.length > 0) {
        await txn.send([
          {
            topic: this.config.evaluationsTopic,
            messages: windows.map((w) => evaluationRecord(batch.partition, w)),
          },
        ]);
      }
      if (offsets.length > 0) await txn.sendOffsets(this.config.groupId, offsets);
      await txn.commit();
    } catch (err) {
      await txn?.abort().catch(() => undefined);
      throw err;
    }
    this.metrics.published(windows);
    this.metrics.counted(before, join.counts);
    this.updatePending();
    batch.resolveOffset(batch.messages.at(-1)!.offset);
  }

  private read(join: PartitionJoin, side: Side, topic: string, record: InRecord): void {
    const offset = BigInt(record.offset);
    try {
      if (side === 'prediction') {
        const p = decodePrediction(
          record.value ?? Buffer.alloc(0),
          headerString(record.headers, Headers.contentType),
        );
        join.addPrediction({
          offset,
          rideId: p.ride_id,
          model: p.model,
          version: p.version,
          predictedMinutes: p.ride_duration,
          pickupMs: p.event_time,
        });
      } else {
        const c = decodeRideCompleted(record.value);
        join.addCompletion({ offset, rideId: c.ride_id, dropoffMs: c.dropoff_datetime });
      }
    } catch (err) {
      const reason = (err as { code?: string }).code ?? 'DECODE_FAILED';
      this.metrics.invalid.inc({ topic, reason });
      this.log.warn({ err, topic, offset: record.offset, reason }, 'record skipped: it cannot be read');
    }
  }

  private offsets(partition: number, join: PartitionJoin): CommittedPosition[] {
    const commits = join.commits();
    const topics: Record<Side, string> = {
      prediction: this.config.predictionsTopic,
      completion: this.config.completionsTopic,
    };
    return (['prediction', 'completion'] as const).flatMap((side) => {
      const commit = commits[side];
      return commit === undefined
        ? []
        : [{ topic: topics[side], partition, offset: commit.offset.toString(), metadata: commit.metadata }];
    });
  }

  /**
   * Takes a partition number over: its transactional id is initialised (fencing the previous owner, whose open
   * transaction is aborted or completes), then both inputs are read again from what is committed, with the
   * checkpoint committed beside it.
   */
  private async claim(partition: number): Promise<OwnedPartition> {
    const producer = this.client.transactionalProducer(`${this.config.groupId}.evaluator.${partition}`);
    try {
      return await this.resume(partition, producer);
    } catch (err) {
      void producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  private async resume(partition: number, producer: TransactionalProducer): Promise<OwnedPartition> {
    await producer.connect();
    const fence = await producer.begin();
    await fence.abort();
    const position = async (topic: string): Promise<InputPosition> => {
      const committed = (await this.admin.committedPositions(this.config.groupId, topic)).get(partition);
      return { offset: committed?.offset ?? -1n, checkpoint: parseCheckpoint(committed?.metadata ?? null) };
    };
    const resume = {
      prediction: await position(this.config.predictionsTopic),
      completion: await position(this.config.completionsTopic),
    };
    for (const [topic, at] of [
      [this.config.predictionsTopic, resume.prediction.offset],
      [this.config.completionsTopic, resume.completion.offset],
    ] as const) {
      if (at >= 0n) this.consumer?.seek(topic, partition, at.toString());
    }
    const owned = { join: new PartitionJoin(this.config.join, resume), producer };
    this.owned.set(partition, owned);
    this.log.info(
      {
        partition,
        resume: {
          predictions: String(resume.prediction.offset),
          completions: String(resume.completion.offset),
        },
      },
      'partition claimed',
    );
    return owned;
  }

  /** After every join each partition is claimed again: its committed offsets are read again, stable. */
  private rejoined(): void {
    this.joined = true;
    void this.release();
  }

  private drop(partition: number): void {
    const owned = this.owned.get(partition);
    this.owned.delete(partition);
    void owned?.producer.disconnect().catch(() => undefined);
    this.updatePending();
  }

  private async release(): Promise<void> {
    const producers = [...this.owned.values()].map((o) => o.producer);
    this.owned.clear();
    this.updatePending();
    await Promise.all(producers.map((p) => p.disconnect().catch(() => undefined)));
  }

  private updatePending(): void {
    let predictions = 0;
    let completions = 0;
    for (const { join } of this.owned.values()) {
      predictions += join.pending.predictions;
      completions += join.pending.completions;
    }
    this.metrics.pending.set({ side: 'prediction' }, predictions);
    this.metrics.pending.set({ side: 'completion' }, completions);
  }
}
