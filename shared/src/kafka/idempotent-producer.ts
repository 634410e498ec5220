import type { Logger } from '../logger.js';
import type { KafkaClient, RecordProducer, SendOptions, TopicRecords } from './port/kafka-port.js';

/**
 * An idempotent producer (KIP-98: acks=all, ordered, no duplicates from its own retries) that starts over after
 * a failed send. A client can keep the failed batch's sequence numbers after an ambiguous failure (a timeout while
 * the broker did append it), and every later send then fails with OUT_OF_ORDER_SEQUENCE_NUMBER (kafkajs does:
 * tulios/kafkajs#598); a fresh producer gets a fresh producer id and sequence. The failed batch is still
 * reported to the caller as failed.
 */
export class IdempotentProducer {
  private readonly kafka: KafkaClient;
  private readonly log: Logger;
  /** The current producer, being connected or connected; shared by concurrent sends. */
  private producer: Promise<RecordProducer> | undefined;

  constructor(kafka: KafkaClient, logger: Logger) {
    this.kafka = kafka;
    this.log = logger;
  }

  async connect(): Promise<void> {
    await this.current();
  }

  async send(records: readonly TopicRecords[], options: SendOptions = {}): Promise<void> {
    const producer = await this.current();
    try {
      await producer.send(records, options);
    } catch (err) {
      // Concurrent sends share the producer: only the first failure replaces it.
      if (this.producer !== undefined && (await this.producer.catch(() => undefined)) === producer) {
        this.producer = undefined;
      }
      this.log.warn({ err }, 'send failed: replacing the producer so later sends start a fresh sequence');
      // Not awaited: a client's disconnect can wait for every pending request of the connection, other sends' too,
      // and the failure must reach the caller whatever they do.
      void producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  /** Drops the producer (the next send starts a fresh one); it closes in the background. */
  reset(): void {
    const producer = this.producer;
    this.producer = undefined;
    void producer?.then((p) => p.disconnect()).catch(() => undefined);
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await (await producer?.catch(() => undefined))?.disconnect();
  }

  private current(): Promise<RecordProducer> {
    if (this.producer === undefined) {
      const producer = this.kafka.producer({ idempotent: true });
      const connecting = producer.connect().then(() => producer);
      this.producer = connecting;
      // A failed connect is not kept: the next send tries a fresh producer.
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = undefined;
      });
    }
    return this.producer;
  }
}
