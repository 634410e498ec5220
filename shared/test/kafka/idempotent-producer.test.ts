import { describe, expect, it } from 'vitest';
import { IdempotentProducer } from '../../src/kafka/idempotent-producer.js';
import type { KafkaClient } from '../../src/kafka/port/kafka-port.js';
import { createLogger } from '../../src/logger.js';

/** A client stand-in: each producer() call makes one whose sends follow `send` and whose close never ends. */
function fakeKafka(send: (n: number) => Promise<unknown>) {
  const made: { connects: number; disconnects: number }[] = [];
  const kafka = {
    producer: () => {
      const n = made.length;
      const stats = { connects: 0, disconnects: 0 };
      made.push(stats);
      return {
        connect: async () => {
          stats.connects += 1;
        },
        send: () => send(n),
        // kafkajs's disconnect waits for every pending request of the connection, which may never settle.
        disconnect: () => {
          stats.disconnects += 1;
          return new Promise<void>(() => {});
        },
      };
    },
  } as unknown as KafkaClient;
  return { kafka, made };
}

const logger = createLogger({ level: 'silent' });

describe('IdempotentProducer', () => {
  it('reports a failed send at once even when closing the failed producer never ends', async () => {
    const { kafka, made } = fakeKafka(async (n) => {
      if (n === 0) throw new Error('Connection error: ECONNREFUSED');
    });
    const p = new IdempotentProducer(kafka, logger);
    await expect(p.send([{ topic: 't', messages: [{ value: 'a' }] }])).rejects.toThrow('ECONNREFUSED');
    expect(made[0]!.disconnects).toBe(1);
    // The next send starts a fresh producer (fresh producer id and sequence).
    await p.send([{ topic: 't', messages: [{ value: 'b' }] }]);
    expect(made).toHaveLength(2);
  });

  it('shares one producer between concurrent sends and replaces it once when they all fail', async () => {
    const { kafka, made } = fakeKafka(async (n) => {
      if (n === 0) throw new Error('boom');
    });
    const p = new IdempotentProducer(kafka, logger);
    const sends = Array.from({ length: 4 }, () => p.send([{ topic: 't', messages: [{ value: 'x' }] }]));
    const results = await Promise.allSettled(sends);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(made).toHaveLength(1);
    await p.send([{ topic: 't', messages: [{ value: 'y' }] }]);
    expect(made).toHaveLength(2);
    expect(made[1]!.connects).toBe(1);
  });
});
