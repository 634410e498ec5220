import { randomUUID } from 'node:crypto';
import {
  BrokerError,
  type GroupMetadata,
  type KafkaClient,
  type Logger,
  type TopicRecords,
  type TransactionalProducer,
} from '@ride/shared';
import type { RecordSource } from '../core/input-message.js';
import type { OutputSink } from './output-sink.js';

/**
 * How long a transaction of a member that died or froze holds its partitions: their next owner reads committed
 * offsets with require_stable, which waits for it to end. Kafka Streams' exactly-once default; a chunk's transaction
 * takes milliseconds.
 */
const TRANSACTION_TIMEOUT_MS = 10_000;

/**
 * Exactly-once with KIP-447, for a client whose consumer reports its group generation (`supportsGroupMetadataFencing`):
 * outputs and consumed offsets in one transaction whose offset commit carries the generation and member id the batch
 * was handed over under. Once the group moved on, the coordinator refuses a zombie's commit and its transaction is
 * aborted, so fencing needs no transactional id per input partition: the member keeps a few producers of its own
 * (one per partition processed at a time, ids `<group>.<process>.<slot>`), whichever partition a chunk is from.
 * The consumer reads committed offsets with require_stable, so no member starts a partition while a transaction
 * that committed offsets on it is still open: there is nothing to claim.
 */
export class GenerationFencedSink implements OutputSink {
  readonly guarantee = 'exactly_once';
  private readonly kafka: KafkaClient;
  private readonly groupId: string;
  private readonly log: Logger;
  /** This process's part of the transactional ids. */
  private readonly instance = randomUUID().slice(0, 8);
  /** Producers ready for a transaction, by slot. */
  private readonly idle = new Map<number, TransactionalProducer>();
  /** Producers in a transaction now, by slot. */
  private readonly busy = new Map<number, TransactionalProducer>();

  constructor(kafka: KafkaClient, groupId: string, logger: Logger) {
    this.kafka = kafka;
    this.groupId = groupId;
    this.log = logger.child({ component: 'generation-fenced-sink' });
  }

  async connect(): Promise<void> {}

  start(): void {}

  async claim(): Promise<undefined> {
    return undefined;
  }

  async publish(
    source: RecordSource,
    outputs: TopicRecords[],
    nextOffset: string,
    member?: GroupMetadata,
  ): Promise<void> {
    if (member === undefined) {
      throw new BrokerError(
        'no group generation for the batch: the member was not in the group when it was fetched',
      );
    }
    const [slot, producer] = await this.acquire();
    try {
      // Inside the try: a producer that cannot begin is dropped like a failed one.
      const txn = await producer.begin();
      try {
        await txn.send(outputs);
        await txn.sendOffsets(this.groupId, [{ ...source, offset: nextOffset }], member);
        await txn.commit();
      } catch (err) {
        await txn.abort().catch(() => undefined);
        throw err;
      }
    } catch (err) {
      this.log.warn(
        { err, source, generation: member.generationId },
        'transaction failed: aborting; the chunk will be redelivered',
      );
      // Not reused: the next transaction of this slot re-initialises its id, which fences this producer.
      // Closed in the background: a client's disconnect can wait for the connection's pending requests.
      if (this.busy.get(slot) === producer) this.busy.delete(slot);
      void producer.disconnect().catch(() => undefined);
      throw err;
    }
    if (this.busy.get(slot) === producer) {
      this.busy.delete(slot);
      this.idle.set(slot, producer);
    }
  }

  /** Committed with the chunk's transaction. */
  async acknowledged(): Promise<void> {}

  async flush(): Promise<void> {}

  /** The producers serve any partition; a join changes nothing for them. */
  async rejoined(): Promise<void> {}

  /**
   * After a stall: every producer is dropped and each slot's id initialised again at once, which aborts whatever
   * transaction a stuck producer left open. Without it, the partitions of that transaction would wait (require_stable)
   * until the broker's transaction timeout aborts it.
   */
  reset(): void {
    const slots = [...this.idle.keys(), ...this.busy.keys()];
    const dropped = [...this.idle.values(), ...this.busy.values()];
    this.idle.clear();
    this.busy.clear();
    for (const p of dropped) void p.disconnect().catch(() => undefined);
    for (const slot of slots) void this.refence(slot);
  }

  async disconnect(): Promise<void> {
    const all = [...this.idle.values(), ...this.busy.values()];
    this.idle.clear();
    this.busy.clear();
    await Promise.all(all.map((p) => p.disconnect()));
  }

  private async acquire(): Promise<[number, TransactionalProducer]> {
    const first = this.idle.entries().next();
    if (!first.done) {
      const [slot, producer] = first.value;
      this.idle.delete(slot);
      this.busy.set(slot, producer);
      return [slot, producer];
    }
    let slot = 0;
    while (this.busy.has(slot)) slot += 1;
    const producer = this.newProducer(slot);
    this.busy.set(slot, producer);
    try {
      await producer.connect();
    } catch (err) {
      this.busy.delete(slot);
      void producer.disconnect().catch(() => undefined);
      throw err;
    }
    return [slot, producer];
  }

  private newProducer(slot: number): TransactionalProducer {
    return this.kafka.transactionalProducer(`${this.groupId}.${this.instance}.${slot}`, {
      transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
    });
  }

  /** Initialises `slot`'s id with a fresh producer (fencing the previous one) and keeps it for the next chunk. */
  private async refence(slot: number): Promise<void> {
    if (this.idle.has(slot) || this.busy.has(slot)) return;
    const producer = this.newProducer(slot);
    this.busy.set(slot, producer);
    try {
      await producer.connect();
      await (await producer.begin()).abort();
      this.busy.delete(slot);
      this.idle.set(slot, producer);
    } catch (err) {
      this.log.warn({ err, slot }, 'could not fence the slot after a reset; its next chunk will');
      this.busy.delete(slot);
      void producer.disconnect().catch(() => undefined);
    }
  }
}
