import { type Consumer, createKafka, decodePrediction, Headers, type Logger } from '@ride/shared';

interface Window {
  from: number;
  to: number;
  latencies: number[];
}

/**
 * The downstream consumer of the latency runs: reads predictions as they become readable and records
 * `Date.now() - event_time` (event_time = the ride's creation instant, see load-generator.ts) for those
 * created inside the open measurement window.
 */
export class PredictionReader {
  private readonly consumer: Consumer;
  private window: Window | undefined;
  received = 0;

  private constructor(consumer: Consumer) {
    this.consumer = consumer;
  }

  static async start(brokers: readonly string[], topic: string, group: string, logger: Logger) {
    const kafka = createKafka({ brokers, clientId: 'bench-reader' }, logger);
    const consumer = kafka.consumer({ groupId: group, minBytes: 1, maxWaitTimeInMs: 100 });
    const reader = new PredictionReader(consumer);
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch }) => reader.onMessages(batch.messages),
    });
    await joined;
    return reader;
  }

  private onMessages(messages: readonly { value: Buffer | null; headers?: Record<string, unknown> }[]): void {
    const now = Date.now();
    this.received += messages.length;
    const window = this.window;
    if (window === undefined) return;
    for (const message of messages) {
      if (message.value === null) continue;
      const header = message.headers?.[Headers.contentType];
      const contentType = header === undefined ? undefined : String(header);
      const eventTime = decodePrediction(message.value, contentType).event_time;
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
