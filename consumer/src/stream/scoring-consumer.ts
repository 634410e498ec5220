import {
  type BatchConsumer,
  type FetchedBatch,
  type GroupMetadata,
  GroupMovedOnError,
  type GroupProtocol,
  type InRecord,
  type KafkaAdmin,
  type KafkaClient,
  type Logger,
  OutputError,
  type PredictionFormat,
  type SchemaCatalog,
  StallError,
  type TopicRecords,
  type TopicSettings,
  type WireFormat,
} from '@ride/shared';
import type { ModelScorer } from '@ride/shared/model';
import { batchOutputs, type OutputTopics } from './batch-outputs.js';
import type { ConsumerMetrics } from './consumer-metrics.js';
import { GenerationFencedSink } from './generation-fenced-sink.js';
import type { RecordSource } from './input-message.js';
import type { PartitionOffset } from './offset-committer.js';
import {
  AtLeastOnceSink,
  ExactlyOnceSink,
  type OutputSink,
  type ProcessingGuarantee,
} from './output-sink.js';
import { type BatchOutcome, processBatch } from './process-batch.js';
import { type PartitionOffsets, ProgressWatchdog, type Stall } from './progress-watchdog.js';
import { RerunBackoff } from './rerun-backoff.js';

/** Stall recoveries in a row with no batch finished in between before the process is told to exit. */
const MAX_STALL_RECOVERIES = 3;

export interface ScoringConsumerOptions {
  /** The cluster, through our port (createKafka). */
  client: KafkaClient;
  topics: TopicSettings;
  groupId: string;
  /** See ConsumerConfig.groupProtocol. */
  groupProtocol: GroupProtocol;
  fromBeginning: boolean;
  /** Largest number of records scored and produced together; a bigger fetch is processed in chunks. */
  maxBatch: number;
  maxMessageBytes: number;
  format: PredictionFormat;
  /** Schema ids to write and writer schemas to read (fixed or a registry's, see openSchemaCatalog). */
  catalog: SchemaCatalog;
  wire: WireFormat;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  partitionsConsumedConcurrently: number;
  fetchMaxBytesPerPartition: number;
  /** Bounds how long a partition with a briefly unknown leader goes unfetched (see ConsumerConfig). */
  metadataMaxAgeMs: number;
  /** See ConsumerConfig.stallTimeoutMs and ProgressWatchdog. */
  stallTimeoutMs: number;
  guarantee: ProcessingGuarantee;
  /**
   * At-least-once: a partition's next fetch and scoring overlap its previous chunk's publish (see handleBatch);
   * off, each chunk's publish is acknowledged before its partition is fetched again.
   */
  overlapPublish: boolean;
  /** At-least-once: how often acknowledged progress is committed (0 = after every chunk). */
  commitIntervalMs: number;
  /** kafkajs gave up on the consumer and so did our re-runs (see recover): the process should exit. */
  onFatal?: (err: Error) => void;
  /** The model to score with; asked once per chunk, so a live swap takes effect between batches. */
  scorer: () => ModelScorer;
  /** Shadow scoring: a second model on the same chunks, its predictions to `topic` (see processBatch). */
  shadow?: { scorer: () => ModelScorer; topic: string };
  metrics: ConsumerMetrics;
  logger: Logger;
}

/**
 * The Kafka side of the consumer: fetch → processBatch → one send of predictions and dead letters →
 * resolve and commit offsets only after the broker acknowledged that send (at-least-once), or send and
 * commit offsets in one transaction (exactly-once; see ExactlyOnceSink).
 * Backpressure is structural: the next fetch for a partition waits until its previous batch is acknowledged,
 * so a slow output topic slows fetching instead of growing memory.
 */
export class ScoringConsumer {
  private readonly options: ScoringConsumerOptions;
  private readonly consumer: BatchConsumer;
  private readonly sink: OutputSink;
  private readonly log: Logger;
  private readonly admin: KafkaAdmin;
  private readonly watchdog: ProgressWatchdog;
  private readonly active = new Set<Promise<void>>();
  /**
   * At-least-once: each partition's publish in flight, resolving to whether it was acknowledged. The partition's
   * next chunk is scored meanwhile and published once it settles (see handleBatch).
   */
  private readonly publishing = new Map<number, Promise<void>>();
  /**
   * Partitions whose publish failed, with the failed chunk's first offset: chunks fetched past it before the seek
   * back took effect are dropped unsent; the chunk that starts there again clears it (so does a group join).
   */
  private readonly failedFrom = new Map<number, bigint>();
  /** Bumped when a stall recovery abandons the batches in flight: their late results are ignored. */
  private generation = 0;
  private abandon = deferred();
  /** Resolved at the next group join (see waitForRejoin). */
  private nextJoin = deferred();
  private recovering = false;
  private stalled = 0;
  /** Stall recoveries since a batch last finished (see recoverStall). */
  private stallRecoveries = 0;
  private stopping = false;
  private starting: Promise<void> | undefined;
  private joined = false;
  private partitions: number[] = [];
  /** Runs since kafkajs last gave up without a group join in between (see recover). */
  private readonly reruns = new RerunBackoff();
  /** At-least-once with OVERLAP_PUBLISH (see handleBatch). */
  private readonly overlap: boolean;
  private readonly outputTopics: OutputTopics;
  private rerunTimer: NodeJS.Timeout | undefined;
  private readonly schemaIds: { predictions: number; shadow?: number };

  constructor(options: ScoringConsumerOptions) {
    this.options = options;
    const { catalog, topics, shadow } = options;
    this.schemaIds = {
      predictions: catalog.writeId('ride-prediction', topics.predictions),
      shadow: shadow && catalog.writeId('ride-prediction', shadow.topic),
    };
    this.log = options.logger.child({ component: 'scoring-consumer', group: options.groupId });
    const kafka = options.client;
    this.overlap = options.overlapPublish && options.guarantee === 'at_least_once';
    this.outputTopics = {
      predictions: topics.predictions,
      deadLetters: topics.deadLetters,
      shadow: shadow?.topic,
    };
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeoutMs: options.sessionTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      maxBytesPerPartition: options.fetchMaxBytesPerPartition,
      metadataMaxAgeMs: options.metadataMaxAgeMs,
      groupProtocol: options.groupProtocol,
    });
    this.sink = this.createSink();
    this.admin = kafka.admin();
    this.watchdog = this.createWatchdog();
    this.consumer.on('joined', (assignment) => this.onJoined(assignment));
    this.consumer.on('rebalancing', () => this.log.info('rebalancing'));
    this.consumer.on('crashed', (error, restart) => {
      this.joined = false;
      this.log.error({ err: error, restart }, 'consumer crashed');
      // The client's run ends and starts again from the committed offsets: a batch still in flight (a request that
      // never settles) must not hold that restart, which waits for the run's batches to return.
      this.abandonInFlight();
      if (!restart) this.recover(error);
    });
    this.consumer.on('stopped', () => {
      this.joined = false;
      this.partitions = [];
    });
  }

  /**
   * Exactly-once fences zombies by group generation (KIP-447) where the client reports it (the classic protocol of
   * a client with `supportsGroupMetadataFencing`), else by a transactional id per input partition.
   */
  private createSink(): OutputSink {
    const { client: kafka, groupId, guarantee, groupProtocol, logger } = this.options;
    if (guarantee === 'at_least_once') {
      const commit = (offsets: PartitionOffset[]) => this.consumer.commit(offsets);
      return new AtLeastOnceSink(kafka, commit, this.options.commitIntervalMs, logger);
    }
    if (kafka.supportsGroupMetadataFencing === true && groupProtocol === 'classic') {
      return new GenerationFencedSink(kafka, groupId, logger);
    }
    return new ExactlyOnceSink(kafka, groupId, logger);
  }

  private createWatchdog(): ProgressWatchdog {
    const { topics, metrics, stallTimeoutMs, logger } = this.options;
    return new ProgressWatchdog({
      topic: topics.rides,
      stallTimeoutMs,
      // The last assignment, also while the client is out of the group after a crash: a member that crashes and
      // rejoins in a loop, or never comes back, without finishing a batch is stalled too. A recovery starts over.
      assigned: () => (this.recovering ? [] : this.partitions),
      readOffsets: (partitions) => this.readOffsets(partitions),
      onCheck: (view) => {
        this.stalled = 0;
        for (const [partition, stalled] of view) {
          if (stalled) this.stalled += 1;
          metrics.partitionStalled.set(
            { topic: topics.rides, partition: String(partition) },
            stalled ? 1 : 0,
          );
        }
      },
      onStall: (stalls) => void this.recoverStall(stalls),
      logger,
    });
  }

  private onJoined(assignment: Record<string, number[]>): void {
    const { topics, metrics } = this.options;
    this.joined = true;
    this.reruns.reset();
    const previous = this.partitions;
    this.partitions = [...(assignment[topics.rides] ?? [])].sort((a, b) => a - b);
    this.watchdog.joined(this.partitions);
    this.nextJoin.resolve();
    this.nextJoin = deferred();
    for (const p of previous.filter((p) => !this.partitions.includes(p)))
      metrics.forgetPartition(topics.rides, p);
    // Positions start again from the committed offsets, never past a failed chunk.
    this.failedFrom.clear();
    void this.sink.rejoined(topics.rides, this.partitions);
    this.log.info({ assignment }, 'joined group');
  }

  /** In the group, not recovering, and no owned partition stalled at the last check. */
  get ready(): boolean {
    return this.joined && !this.recovering && this.stalled === 0;
  }

  /** Partitions of the rides topic this member owns since its last group join. */
  get assignedPartitions(): readonly number[] {
    return this.partitions;
  }

  start(): Promise<void> {
    this.starting = this.connectAndRun();
    return this.starting;
  }

  private async connectAndRun(): Promise<void> {
    await this.sink.connect();
    await this.admin.connect();
    await this.consumer.connect();
    await this.consumer.subscribe(this.options.topics.rides, { fromBeginning: this.options.fromBeginning });
    if (this.stopping) return;
    await this.run();
    this.sink.start();
    this.watchdog.start();
  }

  private run(): Promise<void> {
    return this.consumer.run({
      // Offsets are committed by us: by the OffsetCommitter (at-least-once) or inside the output transaction.
      autoCommit: false,
      concurrency: this.options.partitionsConsumedConcurrently,
      eachBatch: async (batch) => {
        const handling = this.handleBatch(batch, this.generation);
        this.active.add(handling);
        try {
          // A stall recovery gives kafkajs its worker back even if the batch's I/O never settles.
          await Promise.race([handling, this.abandon.promise]);
        } finally {
          this.active.delete(handling);
        }
      },
    });
  }

  /**
   * kafkajs restarts the consumer after errors it deems retriable, but gives up on the others, among them "group
   * coordinator not found" when a broker restart outlasts its retries. Most of those pass once the broker is back,
   * so the consumer runs again after a backoff (RerunBackoff: 1, 2, 4, 8, 16 s) without a group join in between;
   * then `onFatal` (the process exits and its supervisor decides).
   */
  private recover(err: Error): void {
    if (this.stopping) return;
    const delayMs = this.reruns.next();
    if (delayMs === undefined) {
      this.options.onFatal?.(err);
      return;
    }
    this.log.warn(
      { attempt: this.reruns.attempts, delayMs },
      'kafkajs gave up on the consumer: running it again',
    );
    this.rerunTimer = setTimeout(() => {
      if (!this.stopping) this.run().catch((e: Error) => this.recover(e));
    }, delayMs);
  }

  /**
   * A partition stopped moving while the group is behind on it (see ProgressWatchdog): whatever holds it inside
   * the client (a request that never settles, a partition left out of every fetch), running the client again from
   * the committed offsets clears it. Acknowledged progress is committed first; the batches in flight are abandoned
   * (their late results ignored, their records redelivered from the committed offset) and the producers replaced.
   * When stalls come back MAX_STALL_RECOVERIES times with no batch finished in between, or the client cannot be
   * stopped, `onFatal`: the supervisor restarts the process.
   */
  private async recoverStall(stalls: Stall[]): Promise<void> {
    if (this.recovering || this.stopping) return;
    this.recovering = true;
    const { metrics, stallTimeoutMs } = this.options;
    this.stallRecoveries += 1;
    this.log.warn(
      { stalls, stallTimeoutMs, attempt: this.stallRecoveries },
      'partition stalled: no batch finished while the group is behind; running the client again from committed offsets',
    );
    try {
      if (this.stallRecoveries > MAX_STALL_RECOVERIES) {
        throw new StallError(`partitions stalled again after ${MAX_STALL_RECOVERIES} recoveries`, { stalls });
      }
      await this.sink.flush();
      const stopped = this.consumer.stop();
      this.abandonInFlight();
      await withTimeout(stopped, this.options.sessionTimeoutMs, 'the client did not stop after a stall');
      this.sink.reset();
      this.watchdog.reset();
      if (this.stopping) return;
      await this.run();
      metrics.stallRecoveries.inc({ outcome: 'recovered' });
      this.log.info({ partitions: stalls.map((s) => s.partition) }, 'client running again after a stall');
    } catch (err) {
      metrics.stallRecoveries.inc({ outcome: 'failed' });
      this.log.error({ err }, 'stall recovery failed');
      this.options.onFatal?.(err as Error);
    } finally {
      this.recovering = false;
    }
  }

  /**
   * The batches in flight are given up: their late results are ignored and their records fetched again from the
   * committed offsets; a publish that never settles no longer holds its partition's next chunk, nor the client's
   * worker (eachBatch returns at once).
   */
  private abandonInFlight(): void {
    this.generation += 1;
    this.publishing.clear();
    this.failedFrom.clear();
    this.abandon.resolve();
    this.abandon = deferred();
  }

  /**
   * A chunk's transaction was refused because the group moved past the generation the batch was handed over under
   * (a rebalance, often started by another member's restart). The member is fine and its client is rejoining: the
   * chunk waits for that join, which restarts the partitions from their committed offsets, instead of crashing the
   * run; a crash would leave and rejoin the group as a new member, one more rebalance that fails the other members'
   * transactions in turn (chaos: two members crashed each other this way until one waited forever on a held request).
   * The join may come before the refusal (the coordinator answers the member's JoinGroup before its TxnOffsetCommit):
   * the client already under another generation or member id than the batch's is that join, nothing to wait for
   * (chaos: a member waited for a join that had come 3 ms earlier, crashed after the session timeout, and that
   * rebalance moved the held member's partitions away before its stall was noticed).
   * No join within the session timeout: the run crashes and starts again, as for any failed publish.
   */
  private async waitForRejoin(
    err: GroupMovedOnError,
    source: RecordSource,
    generation: number,
    member: GroupMetadata | undefined,
  ): Promise<void> {
    const now = this.consumer.groupMetadata?.();
    if (this.joined && member !== undefined && now !== undefined && !sameGeneration(now, member)) {
      this.log.info(
        { source, reason: err.message, generation: now.generationId },
        'the group moved on during the transaction: the client already rejoined',
      );
      return;
    }
    this.log.info(
      { source, reason: err.message },
      'the group moved on during the transaction: waiting for the rejoin',
    );
    const joined = this.nextJoin.promise.then(() => true);
    const abandoned = this.abandon.promise.then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.sessionTimeoutMs);
    });
    try {
      const settled = await Promise.race([joined, abandoned, timeout]);
      if (!settled && !this.stopping && generation === this.generation) throw new OutputError(err);
    } finally {
      clearTimeout(timer);
    }
  }

  private async readOffsets(partitions: readonly number[]): Promise<PartitionOffsets[]> {
    const topic = this.options.topics.rides;
    const [committed, ends] = await Promise.all([
      this.admin.committedOffsets(this.options.groupId, topic),
      this.admin.endOffsets(topic),
    ]);
    return partitions.map((partition) => ({
      partition,
      committed: committed.get(partition) ?? -1n,
      end: ends.get(partition) ?? 0n,
    }));
  }

  /**
   * Stops fetching, lets the chunk in flight finish, commits acknowledged progress, then leaves the group and
   * closes the producers. kafkajs has no hook between "last batch done" and "left the group", so we pause and
   * drain first, while still a member whose commits count.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.rerunTimer);
    await this.watchdog.stop();
    // A stop during start-up waits for start() to reach a settled point (it skips run() once stopping is set),
    // rather than disconnecting clients under a connect in progress.
    await this.starting?.catch(() => undefined);
    try {
      this.consumer.pause(this.options.topics.rides);
    } catch {
      // not running yet (a signal during start-up): nothing is in flight
    }
    await Promise.allSettled([...this.active]);
    await Promise.allSettled([...this.publishing.values()]);
    await this.sink.flush();
    await this.consumer.disconnect();
    await this.sink.disconnect();
    await this.admin.disconnect();
  }

  private async handleBatch(batch: FetchedBatch, generation: number): Promise<void> {
    const { resolveOffset, heartbeat, isRunning, isStale } = batch;
    const { metrics, maxBatch } = this.options;
    const source = { topic: batch.topic, partition: batch.partition };
    // The generation the batch is handed over under (KIP-447): a commit after a rejoin must not carry the new one.
    const member = this.consumer.groupMetadata?.();
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.lag()));
    // kafkajs only heartbeats when we call it; keep the membership alive while a long chunk is scored.
    const beat = setInterval(() => heartbeat().catch(() => undefined), this.options.heartbeatIntervalMs);
    try {
      const abandoned = () => generation !== this.generation;
      const messages = await this.unanswered(batch);
      if (abandoned()) return;
      if (messages.length === 0) this.progressed(batch.partition);
      for (let start = 0; start < messages.length; start += maxBatch) {
        if (this.stopping || !isRunning() || isStale() || abandoned()) break;
        const chunk = messages.slice(start, start + maxBatch);
        const { outputs, done } = await this.scoreChunk(chunk, source);
        // Abandoned while scoring: a stall recovery runs the partition again, and a publish from here would race the
        // new run's on the same producer.
        if (abandoned()) return;
        const last = chunk[chunk.length - 1]!.offset;
        const next = String(BigInt(last) + 1n);
        if (this.overlap) {
          // The previous chunk's publish first: outputs stay in order and one publish per partition is in flight.
          await this.publishing.get(batch.partition);
          if (abandoned() || this.afterFailure(batch.partition, chunk[0]!.offset)) return;
          // kafkajs fetches on from here while this chunk's publish is in flight (fetch, score and produce overlap).
          resolveOffset(last);
          const published = this.publishAhead(source, outputs, chunk[0]!.offset, next, done, generation);
          this.publishing.set(batch.partition, published);
        } else {
          try {
            await this.sink.publish(source, outputs, next, member);
          } catch (err) {
            if (!(err instanceof GroupMovedOnError)) throw new OutputError(err);
            // Nothing resolved: the join restarts the partition from its committed offset.
            await this.waitForRejoin(err, source, generation, member);
            return;
          }
          // Abandoned by a stall recovery: the records are redelivered from the committed offset.
          if (abandoned()) return;
          resolveOffset(last);
          this.finished(source.partition, done);
          await this.sink.acknowledged(source, next);
        }
        await heartbeat();
      }
    } finally {
      clearInterval(beat);
    }
  }

  /** Scores one chunk: its outputs by topic, and what to record once they are acknowledged. */
  private async scoreChunk(
    chunk: InRecord[],
    source: RecordSource,
  ): Promise<{ outputs: TopicRecords[]; done: ChunkDone }> {
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
    const done = { outcome, size: chunk.length, version: scorer.version };
    return { outputs: batchOutputs(outcome, this.outputTopics), done };
  }

  /**
   * At-least-once: publishes a chunk while kafkajs fetches on, and records and commits its progress once the
   * broker acknowledged it. A failed publish seeks the partition back to the chunk's first offset, so its records
   * are fetched and answered again (kafkajs had moved past them); the chunk scored behind it is dropped unsent.
   */
  private async publishAhead(
    source: RecordSource,
    outputs: TopicRecords[],
    first: string,
    next: string,
    done: ChunkDone,
    generation: number,
  ): Promise<void> {
    try {
      await this.sink.publish(source, outputs, next);
    } catch (err) {
      this.failedFrom.set(source.partition, BigInt(first));
      this.log.warn(
        { err: new OutputError(err), source, offset: first },
        'publish failed: fetching the chunk again',
      );
      try {
        this.consumer.seek(source.topic, source.partition, first);
      } catch {
        // Not running (a restart is under way): it resumes from the committed offsets, which are not past `first`.
      }
      return;
    }
    // Abandoned by a stall recovery, or the partition moved to another member: its records are redelivered from
    // the committed offset, and a late commit here would only move that offset back.
    if (generation !== this.generation || !this.partitions.includes(source.partition)) return;
    this.finished(source.partition, done);
    await this.sink.acknowledged(source, next);
  }

  /** True when `first` was fetched past a failed chunk of `partition` (drop it); a chunk from there clears it. */
  private afterFailure(partition: number, first: string): boolean {
    const failed = this.failedFrom.get(partition);
    if (failed === undefined) return false;
    if (BigInt(first) > failed) return true;
    this.failedFrom.delete(partition);
    return false;
  }

  private finished(partition: number, done: ChunkDone): void {
    this.progressed(partition);
    this.options.metrics.recordBatch(done.outcome, done.size, done.version, Date.now());
    this.log.debug(
      {
        batch: {
          size: done.size,
          predictions: done.outcome.predictions.length,
          deadLetters: done.outcome.deadLetters.length,
        },
      },
      'batch done',
    );
  }

  /**
   * The batch's records minus those already answered by a transaction that committed after this member fetched
   * its position (a previous owner's, or its own before a rebalance; see OutputSink.claim): resolved, or skipped
   * by a seek.
   */
  private async unanswered(batch: FetchedBatch): Promise<InRecord[]> {
    const source = { topic: batch.topic, partition: batch.partition };
    let committed: string | undefined;
    try {
      committed = await this.sink.claim(source);
    } catch (err) {
      throw new OutputError(err);
    }
    const first = batch.messages[0];
    if (committed === undefined || first === undefined || BigInt(first.offset) >= BigInt(committed)) {
      return batch.messages;
    }
    const rest = batch.messages.filter((m) => BigInt(m.offset) >= BigInt(committed));
    this.log.info(
      { source, committed, skipped: batch.messages.length - rest.length },
      'skipping records already answered: committed after this member read its position',
    );
    if (rest.length === 0) this.consumer.seek(source.topic, source.partition, committed);
    else batch.resolveOffset(String(BigInt(committed) - 1n));
    return rest;
  }

  private progressed(partition: number): void {
    this.stallRecoveries = 0;
    this.watchdog.progressed(partition);
  }
}

/** A scored chunk, recorded in the metrics once its outputs are acknowledged. */
interface ChunkDone {
  outcome: BatchOutcome;
  size: number;
  version: string;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StallError(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sameGeneration(a: GroupMetadata, b: GroupMetadata): boolean {
  return a.generationId === b.generationId && a.memberId === b.memberId;
}
