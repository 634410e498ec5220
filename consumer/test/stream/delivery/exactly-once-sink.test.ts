import {
  createLogger,
  type KafkaAdmin,
  type KafkaClient,
  type Transaction,
  type TransactionalProducer,
} from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { ExactlyOnceSink } from '../../../src/stream/delivery/exactly-once-sink.js';

// A fake of the port's transactional producers (a unit test's collaborator): the first cannot begin, as a kafkajs
// producer left with a transaction open by a batch that a stall recovery abandoned.
function fakeClient() {
  const made: { id: string; begins: number; closed: boolean }[] = [];
  const committed: string[] = [];
  const client = {
    name: 'kafkajs',
    admin: () => ({ connect: async () => {}, disconnect: async () => {} }) as unknown as KafkaAdmin,
    transactionalProducer: (id: string): TransactionalProducer => {
      const stats = { id, begins: 0, closed: false };
      const broken = made.length === 0;
      made.push(stats);
      return {
        connect: async () => {},
        begin: async (): Promise<Transaction> => {
          stats.begins += 1;
          if (broken) throw new Error('There is already an ongoing transaction for this producer');
          return {
            send: async () => {},
            sendOffsets: async (_group, offsets) => {
              committed.push(...offsets.map((o) => `${o.partition}@${o.offset}`));
            },
            commit: async () => {},
            abort: async () => {},
          };
        },
        disconnect: async () => {
          stats.closed = true;
        },
      };
    },
  } as unknown as KafkaClient;
  return { client, made, committed };
}

describe('ExactlyOnceSink', () => {
  it('drops a producer that cannot begin a transaction, so the next attempt starts on a fresh one', async () => {
    const { client, made, committed } = fakeClient();
    const sink = new ExactlyOnceSink(client, 'g', createLogger({ level: 'silent' }));
    const source = { topic: 'rides', partition: 2 };
    const outputs = [{ topic: 'ride-predictions', messages: [{ key: 'r1', value: 'p' }] }];
    await expect(sink.publish(source, outputs, '11')).rejects.toThrow('ongoing transaction');
    expect(made[0]!.closed).toBe(true);
    await sink.publish(source, outputs, '11');
    expect(made.map((m) => m.id)).toEqual(['g.rides.2', 'g.rides.2']);
    expect(committed).toEqual(['2@11']);
  });
});
