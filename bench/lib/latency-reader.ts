import {
  type BatchConsumer,
  createKafka,
  decodePrediction,
  decodeRide,
  Headers,
  type InRecord,
  type Logger,
} from '@ride/shared';

/** The creation instant (epoch ms) a record carries, given its value and content type. */
export type CreatedAt = (value: Buffer, contentType: string | undefined) => number;

/** Predictions: event_time is the ride's pickup instant, which the load generator stamps at creation. */
export const predictionCreatedAt: CreatedAt = (value, type) => decodePrediction(value, type).event_time;
/** Rides themselves: the Kafka-only baseline (producer → broker → reader, no scoring). */
export const rideCreatedAt: CreatedAt = (value, type) => decodeRide(value, type).pickupMs ?? Number.NaN;

interface Window {
  from: number;
  to: number;
  latencies: number[];
}

/**
 * A downstream consumer of the latency runs: reads records as they become readable and records
 * `Date.now() - createdAt` (the ride's creation instant, see load-generator.ts) for those created inside the
 * open measurement window.
 */
export class LatencyReader {
  private readonly consumer: BatchConsumer;
  private readonly createdAt: CreatedAt;
  private window: Window | undefined;
  received = 0;

  private constructor(consumer: BatchConsumer, createdAt: CreatedAt) {
    this.consumer = consumer;
    this.createdAt = createdAt;
  }

  static async start(
    brokers: readonly string[],
    topic: string,
    group: string,
    createdAt: CreatedAt,
    logger: Logger,
  ): Promise<LatencyReader> {
    // Every row's readers are the same downstream client (kafkajs, as in the runs before the default changed), so
    // the Kafka-only p99 stays one yardstick across rows and runs whatever the consumer under test uses.
    const kafka = createKafka({ brokers, clientId: 'bench-reader', client: 'kafkajs' }, logger);
    const consumer = kafka.consumer({ groupId: group, minBytes: 1, maxWaitMs: 100 });
    const reader = new LatencyReader(consumer, createdAt);
    const joined = new Promise<void>((resolve) => consumer.on('joined', () => resolve()));
    await consumer.connect();
    await consumer.subscribe(topic, { fromBeginning: true });
    await consumer.run({
      concurrency: 6,
      eachBatch: async (batch) => {
        reader.onMessages(batch.messages);
        const last = batch.messages.at(-1);
        if (last !== undefined) batch.resolveOffset(last.offset);
      },
    });
    await joined;
    return reader;
  }

  private onMessages(messages: readonly InRecord[]): void {
    const now = Date.now();
    this.received += messages.length;
    const window = this.window;
    if (window === undefined) return;
    for (const message of messages) {
      if (message.value === null) continue;
      const header = message.headers?.[Headers.contentType];
      const contentType = header === undefined ? undefined : String(header);
      const eventTime = this.createdAt(message.value, contentType);
      if (eventTime >= window.from && eventTime <= window.to) window.latencies.push(now - eventTime);
    }
  }

  /** Starts collecting latencies of events created in [from, to] (epoch ms). */
  open(from: number, to: number): void {
    this.window = { from, to, latencies: [] };
  }

  /** Stops collecting and returns the latencies gathered, in ms. */
  close(): number[] {
    const latencies = this.window?.latencies ?? [];
    this.window = undefined;
    return latencies;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
