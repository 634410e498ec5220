import type { KafkaClient } from '@ride/shared';
import { disconnectAfterTest } from './test-kafka.js';

export interface ReceivedMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
}

export interface ConsumeOptions {
  topic: string;
  groupId: string;
  /** Resolve once this many messages arrived. */
  count: number;
  timeoutMs?: number;
  /** Commit what was read (the next offset of each partition) before stopping; nothing is committed otherwise. */
  commit?: boolean;
}

/** Consumes a topic from the beginning with a consumer group (eachBatch) until `count` messages arrived. */
export async function consumeMessages(
  kafka: KafkaClient,
  options: ConsumeOptions,
): Promise<ReceivedMessage[]> {
  const consumer = disconnectAfterTest(kafka.consumer({ groupId: options.groupId }));
  const received: ReceivedMessage[] = [];
  let done!: () => void;
  const enough = new Promise<void>((resolve) => {
    done = resolve;
  });
  await consumer.connect();
  await consumer.subscribe(options.topic, { fromBeginning: true });
  await consumer.run({
    eachBatch: async (batch) => {
      for (const message of batch.messages) {
        received.push({
          partition: batch.partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
        });
        batch.resolveOffset(message.offset);
      }
      if (received.length >= options.count) done();
    },
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`received ${received.length} of ${options.count} messages in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([enough, timeout]);
  } finally {
    clearTimeout(timer);
  }
  if (options.commit === true) {
    const next = new Map<number, bigint>();
    for (const m of received) next.set(m.partition, BigInt(m.offset) + 1n);
    await consumer.commit(
      [...next].map(([partition, offset]) => ({ topic: options.topic, partition, offset: String(offset) })),
    );
  }
  await consumer.stop();
  return received;
}
