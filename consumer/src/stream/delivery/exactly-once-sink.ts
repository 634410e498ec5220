import type {
  KafkaAdmin,
  KafkaClient,
  Logger,
  TopicRecords,
  Transaction,
  TransactionalProducer,
} from '@ride/shared';
import type { RecordSource } from '../core/input-message.js';
import type { OutputSink } from './output-sink.js';

/**
 * Outputs and consumed offsets in one Kafka transaction (KIP-98), for a consumer that does not report its group
 * generation (kafkajs, or the KIP-848 protocol): no KIP-447 group-metadata fencing, so zombies are fenced the classic
 * way: one transactional producer per input partition, with a transactional.id derived from group, topic and partition. Whoever owns the partition next re-initialises
 * that id and the broker fences the previous owner.
 *
 * Fencing alone is not enough: such a consumer fetches committed offsets without KIP-447's "require stable", so after a
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
