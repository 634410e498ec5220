import {
  type GroupMetadata,
  IdempotentProducer,
  type KafkaAdmin,
  type KafkaClient,
  type Logger,
  SendCoalescer,
  type TopicRecords,
  type Transaction,
  type TransactionalProducer,
} from '@ride/shared';
import type { RecordSource } from './input-message.js';
import { OffsetCommitter, type PartitionOffset } from './offset-committer.js';

export const ProcessingGuarantees = ['at_least_once', 'exactly_once'] as const;
export type ProcessingGuarantee = (typeof ProcessingGuarantees)[number];

/** Where a processed chunk's predictions and dead letters go, and how its input offsets are committed. */
export interface OutputSink {
  readonly guarantee: ProcessingGuarantee;
  connect(): Promise<void>;
  /** Starts committing acknowledged progress (the consumer runs). */
  start(): void;
  /**
   * Readies the output path of `source` before a batch of it is processed. Returns the group's committed offset
   * when it may have moved since this member fetched its position (a previous owner's last transaction), so the
   * caller skips what that owner already answered; undefined when there is nothing to skip.
   */
  claim(source: RecordSource): Promise<string | undefined>;
  /**
   * Publishes the outputs of records up to (not including) `nextOffset` of `source`. Resolves only once the
   * broker acknowledged them; in exactly-once mode the consumed offset is committed in the same transaction.
   * `member` is the group generation the batch was handed over under, where the client reports one (KIP-447).
   */
  publish(
    source: RecordSource,
    outputs: TopicRecords[],
    nextOffset: string,
    member?: GroupMetadata,
  ): Promise<void>;
  /**
   * The outputs of `source` up to `nextOffset` were published and their chunk is done: commit that progress
   * (at-least-once; exactly-once committed it inside the transaction).
   */
  acknowledged(source: RecordSource, nextOffset: string): Promise<void>;
  /** Commits acknowledged progress now (before a stall recovery or a stop, while still a group member). */
  flush(): Promise<void>;
  /** Called after each group join with this member's partitions of `topic`, before any batch of the generation. */
  rejoined(topic: string, partitions: readonly number[]): Promise<void>;
  /**
   * Drops every producer, so the next batch starts on fresh ones: after a stall, one may hold a send that never
   * settles. The old ones close in the background (closing waits for their pending requests).
   */
  reset(): void;
  disconnect(): Promise<void>;
}

/**
 * One idempotent producer; acknowledged progress is committed through the group (OffsetCommitter) after publish
 * resolved. The partitions' concurrent publishes share requests (SendCoalescer): one round trip for all of them
 * instead of one each, in turn.
 */
export class AtLeastOnceSink implements OutputSink {
  readonly guarantee = 'at_least_once';
  private readonly producer: IdempotentProducer;
  private readonly committer: OffsetCommitter;
  private sender: SendCoalescer;

  /** `commit` commits consumed positions as the group member (the consumer's commit); every `commitIntervalMs`. */
  constructor(
    kafka: KafkaClient,
    commit: (offsets: PartitionOffset[]) => Promise<void>,
    commitIntervalMs: number,
    logger: Logger,
  ) {
    this.producer = new IdempotentProducer(kafka, logger.child({ component: 'at-least-once-sink' }));
    this.committer = new OffsetCommitter(commit, commitIntervalMs, logger);
    this.sender = this.newSender();
  }

  private newSender(): SendCoalescer {
    return new SendCoalescer((topicMessages) => this.producer.send(topicMessages));
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  start(): void {
    this.committer.start();
  }

  async claim(): Promise<undefined> {
    return undefined;
  }

  async publish(_source: RecordSource, outputs: TopicRecords[]): Promise<void> {
    if (outputs.length > 0) await this.sender.enqueue(outputs);
  }

  acknowledged(source: RecordSource, nextOffset: string): Promise<void> {
    return this.committer.processed({ ...source, offset: nextOffset });
  }

  flush(): Promise<void> {
    return this.committer.flush();
  }

  async rejoined(topic: string, partitions: readonly number[]): Promise<void> {
    this.committer.retainOnly(topic, partitions);
  }

  reset(): void {
    // A request that never settles holds its coalescer for good: later sends start on a fresh one.
    this.sender = this.newSender();
    this.producer.reset();
  }

  async disconnect(): Promise<void> {
    await this.committer.stop();
    await this.producer.disconnect();
  }
}

/**
 * Outputs and consumed offsets in one Kafka transaction (KIP-98). Our batch consumer (kafkajs's) predates KIP-447's
 * group-metadata fencing, so zombies are fenced the classic way: one transactional producer per input partition, with a
 * transactional.id derived from group, topic and partition. Whoever owns the partition next re-initialises
 * that id and the broker fences the previous owner.
 *
 * Fencing alone is not enough: kafkajs fetches committed offsets without KIP-447's "require stable", so after a
 * group join a member can read a partition's offset before the last transaction on it (a stalled previous owner's,
 * or its own) has finished committing. That is why every partition is claimed after each join (see rejoined):
 * claim() initialises the partition's transactional id, which waits for that transaction to complete and fences
 * its producer, then re-reads the committed offset; whatever was committed is skipped, not answered twice.
 */
export class ExactlyOnceSink implements OutputSink {
  readonly guarantee = 'exactly_once';
  private readonly producers = new Map<string, TransactionalProducer>();
  private readonly kafka: KafkaClient;
  private readonly groupId: string;
  private readonly admin: KafkaAdmin;
  private readonly log: Logger;

  constructor(kafka: KafkaClient, groupId: string, logger: Logger) {
    this.kafka = kafka;
    this.groupId = groupId;
    this.admin = kafka.admin();
    this.log = logger.child({ component: 'exactly-once-sink' });
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  start(): void {}

  async claim(source: RecordSource): Promise<string | undefined> {
    if (this.producers.has(key(source))) return undefined;
    const producer = await this.producerFor(source);
    try {
      // The first transaction registers the transactional id (InitProducerId). That bumps the id's epoch: the
      // previous owner's open transaction is aborted, or its ending commit completes.
      const fence = await producer.begin();
      await fence.abort();
      const committed = (await this.admin.committedOffsets(this.groupId, source.topic)).get(source.partition);
      return committed === undefined || committed < 0n ? undefined : String(committed);
    } catch (err) {
      // Not claimed: the next attempt starts over with a fresh producer.
      this.producers.delete(key(source));
      void producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async publish(source: RecordSource, outputs: TopicRecords[], nextOffset: string): Promise<void> {
    const producer = await this.producerFor(source);
    let txn: Transaction | undefined;
    try {
      // Inside the try: a producer that cannot begin (e.g. "an ongoing transaction", left open by a batch abandoned
      // in a stall recovery) is dropped like a failed one, or every later batch of the partition would fail on it.
      txn = await producer.begin();
      await txn.send(outputs);
      await txn.sendOffsets(this.groupId, [{ ...source, offset: nextOffset }]);
      await txn.commit();
    } catch (err) {
      this.log.warn({ err, source }, 'transaction failed: aborting; the chunk will be redelivered');
      await txn?.abort().catch(() => undefined);
      // A fenced or broken producer is not reused: the next attempt re-initialises the transactional id. Closed in
      // the background: a client's disconnect can wait for the connection's pending requests, however long they take.
      if (this.producers.get(key(source)) === producer) this.producers.delete(key(source));
      void producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  /** Committed with the chunk's transaction. */
  async acknowledged(): Promise<void> {}

  async flush(): Promise<void> {}

  /**
   * Closes every producer, so each owned partition is claimed again before its next batch. Revoked partitions'
   * ids now belong to their new owners; kept ones need a fresh claim too: the consumer has just re-read their committed
   * offsets without KIP-447's "require stable", possibly before this member's own last transaction finished
   * committing (EndTxn returns once the commit is decided; its markers land a moment later).
   */
  async rejoined(): Promise<void> {
    const producers = [...this.producers.values()];
    this.producers.clear();
    await Promise.all(producers.map((p) => p.disconnect().catch(() => undefined)));
  }

  reset(): void {
    void this.rejoined();
  }

  async disconnect(): Promise<void> {
    await Promise.all([...this.producers.values()].map((p) => p.disconnect()));
    this.producers.clear();
    await this.admin.disconnect();
  }

  private async producerFor(source: RecordSource): Promise<TransactionalProducer> {
    let producer = this.producers.get(key(source));
    if (producer === undefined) {
      producer = this.kafka.transactionalProducer(`${this.groupId}.${key(source)}`);
      await producer.connect();
      this.producers.set(key(source), producer);
    }
    return producer;
  }
}

function key(source: RecordSource): string {
  return `${source.topic}.${source.partition}`;
}
