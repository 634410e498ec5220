import {
  type BatchConsumer,
  type FetchedBatch,
  type GroupMetadata,
  GroupMovedOnError,
  type InRecord,
  type Logger,
  OutputError,
} from '@ride/shared';
import type { ConsumerMetrics } from './consumer-metrics.js';
import type { ChunkScorer, ScoredChunk } from './core/chunk-scorer.js';
import type { RecordSource } from './core/input-message.js';
import type { OutputSink } from './delivery/output-sink.js';
import type { GroupMembership } from './group-membership.js';
import type { StreamSupervisor } from './supervision/stream-supervisor.js';

export interface BatchHandlerOptions {
  consumer: BatchConsumer;
  sink: OutputSink;
  chunks: ChunkScorer;
  membership: GroupMembership;
  supervisor: StreamSupervisor;
  /** Largest number of records scored and produced together; a bigger fetch is processed in chunks. */
  maxBatch: number;
  /** How long a refused transaction waits for the member's rejoin (see waitForRejoin). */
  sessionTimeoutMs: number;
  /** The stream loop is stopping: no new chunk starts. */
  stopping(): boolean;
  metrics: ConsumerMetrics;
  logger: Logger;
}

/**
 * One fetched batch of one partition: its records not yet answered, in chunks of `maxBatch`, each scored, then
 * published (one send of predictions and dead letters), and only once the broker acknowledged that send are its
 * offsets resolved and committed (at-least-once), or they are committed inside the send's transaction
 * (exactly-once). The partition's next fetch waits for this batch: a slow output topic slows fetching instead of
 * growing memory.
 */
export class BatchHandler {
  private readonly options: BatchHandlerOptions;
  private readonly log: Logger;

  constructor(options: BatchHandlerOptions) {
    this.options = options;
    this.log = options.logger.child({ component: 'batch-handler' });
  }

  /** Handles `batch`, started under recovery epoch `epoch`; returns early once that epoch is given up. */
  async handle(batch: FetchedBatch, epoch: number): Promise<void> {
    const { consumer, sink, chunks, supervisor, maxBatch, metrics } = this.options;
    const { resolveOffset, isRunning, isStale } = batch;
    const source = { topic: batch.topic, partition: batch.partition };
    // The group generation the batch is handed over under (KIP-447): a commit after a rejoin must not carry the new one.
    const handedOverUnder = consumer.groupMetadata?.();
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.lag()));
    const abandoned = () => supervisor.epoch.isAbandoned(epoch);
    const records = await this.unanswered(batch);
    if (abandoned()) return;
    if (records.length === 0) supervisor.progressed(batch.partition);
    for (let start = 0; start < records.length; start += maxBatch) {
      if (this.options.stopping() || !isRunning() || isStale() || abandoned()) break;
      const chunk = records.slice(start, start + maxBatch);
      const scored = await chunks.score(chunk, source);
      // Abandoned while scoring: a stall recovery runs the partition again, and a publish from here would race the
      // new run's on the same producer.
      if (abandoned()) return;
      const last = chunk[chunk.length - 1]!.offset;
      const next = String(BigInt(last) + 1n);
      try {
        await sink.publish(source, scored.outputs, next, handedOverUnder);
      } catch (err) {
        if (!(err instanceof GroupMovedOnError)) throw new OutputError(err);
        // Nothing resolved: the join restarts the partition from its committed offset.
        await this.waitForRejoin(err, source, epoch, handedOverUnder);
        return;
      }
      // Abandoned by a stall recovery: the records are redelivered from the committed offset.
      if (abandoned()) return;
      resolveOffset(last);
      this.finished(source.partition, scored);
      await sink.acknowledged(source, next);
    }
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
      committed = await this.options.sink.claim(source);
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
    if (rest.length === 0) this.options.consumer.seek(source.topic, source.partition, committed);
    else batch.resolveOffset(String(BigInt(committed) - 1n));
    return rest;
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
    epoch: number,
    handedOverUnder: GroupMetadata | undefined,
  ): Promise<void> {
    const { consumer, membership, supervisor, sessionTimeoutMs } = this.options;
    const now = consumer.groupMetadata?.();
    if (
      membership.joined &&
      handedOverUnder !== undefined &&
      now !== undefined &&
      !sameGeneration(now, handedOverUnder)
    ) {
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
    const outcome = await membership.nextJoin(sessionTimeoutMs, supervisor.epoch.abandoned);
    if (outcome === 'timeout' && !this.options.stopping() && !supervisor.epoch.isAbandoned(epoch)) {
      throw new OutputError(err);
    }
  }

  private finished(partition: number, scored: ScoredChunk): void {
    this.options.supervisor.progressed(partition);
    this.options.metrics.recordBatch(scored.outcome, scored.size, scored.drift, Date.now());
    const { outcome } = scored;
    this.log.debug(
      {
        batch: {
          size: scored.size,
          predictions: outcome.predictions.length,
          deadLetters: outcome.deadLetters.length,
        },
      },
      'batch done',
    );
  }
}

function sameGeneration(a: GroupMetadata, b: GroupMetadata): boolean {
  return a.generationId === b.generationId && a.memberId === b.memberId;
}
