import type {
  BatchConsumer,
  GroupProtocol,
  KafkaAdmin,
  KafkaClient,
  Logger,
  PredictionFormat,
  SchemaCatalog,
  TopicSettings,
  WireFormat,
} from '@ride/shared';
import { retryBudgetMs } from '@ride/shared';
import type { ModelScorer } from '@ride/shared/model';
import { BatchHandler } from './batch-handler.js';
import type { Canary } from './canary/canary.js';
import type { ConsumerMetrics } from './consumer-metrics.js';
import { ChunkScorer } from './core/chunk-scorer.js';
import { createSink } from './delivery/create-sink.js';
import type { OutputSink, ProcessingGuarantee } from './delivery/output-sink.js';
import { GroupMembership } from './group-membership.js';
import type { PartitionOffsets } from './supervision/progress-watchdog.js';
import { StreamSupervisor } from './supervision/stream-supervisor.js';

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
  /** At-least-once: how often acknowledged progress is committed (0 = after every chunk). */
  commitIntervalMs: number;
  /** The client gave up on the consumer and so did our re-runs or stall recoveries: the process should exit. */
  onFatal?: (err: Error) => void;
  /** The model to score with; asked once per chunk, so a live swap takes effect between batches. */
  scorer: () => ModelScorer;
  /** Shadow scoring: a second model on the same chunks, its predictions to `topic` (see processBatch). */
  shadow?: { scorer: () => ModelScorer; topic: string };
  /** A candidate answering a share of the rides, rolled back on its live error (see Canary). */
  canary?: Canary;
  metrics: ConsumerMetrics;
  logger: Logger;
}

/**
 * The stream scorer's loop: a consumer group member whose client hands each fetched batch to the BatchHandler
 * (core scoring, then delivery through the OutputSink), kept moving by the StreamSupervisor. This class owns the
 * lifecycle (start, stop) and the client's events.
 */
export class ScoringConsumer {
  private readonly options: ScoringConsumerOptions;
  private readonly consumer: BatchConsumer;
  private readonly sink: OutputSink;
  private readonly admin: KafkaAdmin;
  private readonly membership: GroupMembership;
  private readonly supervisor: StreamSupervisor;
  private readonly handler: BatchHandler;
  private readonly log: Logger;
  /** The batches the client handed over and not yet returned. */
  private readonly active = new Set<Promise<void>>();
  private stopping = false;
  private starting: Promise<void> | undefined;

  constructor(options: ScoringConsumerOptions) {
    const { client, topics, metrics } = options;
    this.options = options;
    this.log = options.logger.child({ component: 'scoring-consumer', group: options.groupId });
    this.consumer = client.consumer({
      groupId: options.groupId,
      sessionTimeoutMs: options.sessionTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      maxBytesPerPartition: options.fetchMaxBytesPerPartition,
      metadataMaxAgeMs: options.metadataMaxAgeMs,
      groupProtocol: options.groupProtocol,
    });
    this.sink = createSink(options, (offsets) => this.consumer.commit(offsets));
    this.admin = client.admin();
    this.membership = new GroupMembership(topics.rides);
    this.supervisor = new StreamSupervisor({
      topic: topics.rides,
      stallTimeoutMs: options.stallTimeoutMs,
      // A client stopping leaves its group, and retries that (as a join it is in) for the whole retry budget while
      // the coordinator cannot write (a cluster below min ISR): shorter, and a healthy client is taken for a hung one.
      stopTimeoutMs: Math.max(options.sessionTimeoutMs, retryBudgetMs()),
      assigned: () => this.membership.partitions,
      readOffsets: (partitions) => this.readOffsets(partitions),
      run: {
        run: () => this.run(),
        stop: () => this.consumer.stop(),
        flush: () => this.sink.flush(),
        resetOutputs: () => this.sink.reset(),
      },
      onCheck: (partition, stalled) =>
        metrics.partitionStalled.set({ topic: topics.rides, partition: String(partition) }, stalled ? 1 : 0),
      onRecovery: (outcome) => metrics.stallRecoveries.inc({ outcome }),
      onFatal: (err) => this.options.onFatal?.(err),
      logger: options.logger,
    });
    this.handler = new BatchHandler({
      ...options,
      consumer: this.consumer,
      sink: this.sink,
      chunks: new ChunkScorer(options),
      membership: this.membership,
      supervisor: this.supervisor,
      stopping: () => this.stopping,
    });
    this.consumer.on('joined', (assignment) => this.onJoined(assignment));
    this.consumer.on('rebalancing', () => this.log.info('rebalancing'));
    this.consumer.on('crashed', (error, restart) => {
      this.membership.left();
      this.log.error({ err: error, restart }, 'consumer crashed');
      this.supervisor.crashed(error, restart);
    });
    this.consumer.on('stopped', () => this.membership.stopped());
  }

  private onJoined(assignment: Record<string, number[]>): void {
    const { topics, metrics } = this.options;
    const revoked = this.membership.joinedWith(assignment);
    const partitions = this.membership.partitions;
    this.supervisor.joined(partitions);
    for (const p of revoked) metrics.forgetPartition(topics.rides, p);
    void this.sink.rejoined(topics.rides, partitions);
    this.log.info({ assignment }, 'joined group');
  }

  /** In the group, not recovering, and no owned partition stalled at the last check. */
  get ready(): boolean {
    return this.membership.joined && this.supervisor.healthy;
  }

  /** Partitions of the rides topic this member owns since its last group join. */
  get assignedPartitions(): readonly number[] {
    return this.membership.partitions;
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
    this.supervisor.start();
  }

  private run(): Promise<void> {
    const { epoch } = this.supervisor;
    return this.consumer.run({
      // Offsets are committed by us: by the OffsetCommitter (at-least-once) or inside the output transaction.
      concurrency: this.options.partitionsConsumedConcurrently,
      eachBatch: async (batch) => {
        const handling = this.handler.handle(batch, epoch.current);
        this.active.add(handling);
        try {
          // A batch given up (a stall recovery, a crash) hands the client its worker back even if its I/O never settles.
          await Promise.race([handling, epoch.abandoned]);
        } finally {
          this.active.delete(handling);
        }
      },
    });
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
   * closes the producers. The client has no hook between "last batch done" and "left the group", so we pause and
   * drain first, while still a member whose commits count.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.supervisor.stop();
    // A stop during start-up waits for start() to reach a settled point (it skips run() once stopping is set),
    // rather than disconnecting clients under a connect in progress.
    await this.starting?.catch(() => undefined);
    try {
      this.consumer.pause(this.options.topics.rides);
    } catch {
      // not running yet (a signal during start-up): nothing is in flight
    }
    // Each step logged: a shutdown that times out says which one it was in.
    this.log.info({ batches: this.active.size }, 'stopping: finishing the batches in flight');
    await Promise.allSettled([...this.active]);
    await this.sink.flush();
    this.log.info('stopping: leaving the group');
    await this.consumer.disconnect();
    this.log.info('stopping: closing the producers');
    await this.sink.disconnect();
    await this.admin.disconnect();
  }
}
