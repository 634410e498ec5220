import type { Logger } from '../logger.js';
import { DefaultPartitioner, type Kafka, type Producer, type TopicMessages } from './kafka-client.js';

export interface SendOptions {
  compression?: number;
}

/**
 * An idempotent producer (KIP-98: acks=all, ordered, no duplicates from its own retries) that starts over after
 * a failed send. kafkajs keeps the failed batch's sequence numbers after an ambiguous failure (a timeout while
 * the broker did append it), and every later send then fails with OUT_OF_ORDER_SEQUENCE_NUMBER
 * (tulios/kafkajs#598); a fresh producer gets a fresh producer id and sequence. The failed batch is still
 * reported to the caller as failed.
 */
export class IdempotentProducer {
  private readonly kafka: Kafka;
  private readonly log: Logger;
  /** The current producer, being connected or connected; shared by concurrent sends. */
  private producer: Promise<Producer> | undefined;

  constructor(kafka: Kafka, logger: Logger) {
    this.kafka = kafka;
    this.log = logger;
  }

  async connect(): Promise<void> {
    await this.current();
  }

  async sendBatch(topicMessages: TopicMessages[], options: SendOptions = {}): Promise<void> {
    const producer = await this.current();
    try {
      await producer.sendBatch({ topicMessages, acks: -1, compression: options.compression });
    } catch (err) {
      // Concurrent sends share the producer: only the first failure replaces it.
      if (this.producer !== undefined && (await this.producer.catch(() => undefined)) === producer) {
        this.producer = undefined;
      }
      this.log.warn({ err }, 'send failed: replacing the producer so later sends start a fresh sequence');
      // Not awaited: kafkajs's disconnect waits for every pending request of the connection, other sends' too,
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

  private current(): Promise<Producer> {
    if (this.producer === undefined) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: DefaultPartitioner,
      });
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
