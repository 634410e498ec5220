import {
  createLogger,
  type GroupMetadata,
  type KafkaClient,
  type Transaction,
  type TransactionalProducer,
} from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { GenerationFencedSink } from '../../../src/stream/delivery/generation-fenced-sink.js';

// A fake of the port's transactional producers (a unit test's collaborator) whose offset commits are refused for a
// generation older than the group's current one, as a KIP-447 coordinator does.
function fakeClient() {
  const group = { generation: 5 };
  const made: { id: string; log: string[]; closed: boolean }[] = [];
  const client = {
    name: 'platformatic',
    supportsGroupMetadataFencing: true,
    transactionalProducer: (id: string): TransactionalProducer => {
      const stats = { id, log: [] as string[], closed: false };
      made.push(stats);
      return {
        connect: async () => {},
        begin: async (): Promise<Transaction> => {
          stats.log.push('begin');
          let release = () => {};
          const held = new Promise<void>((r) => {
            release = r;
          });
          return {
            send: async (records) => {
              stats.log.push(`send ${records[0]?.messages[0]?.key}`);
              if (records[0]?.messages[0]?.key === 'hold') await held;
            },
            sendOffsets: async (_group, offsets, member) => {
              if (member === undefined || member.generationId < group.generation) {
                throw new Error('ILLEGAL_GENERATION');
              }
              stats.log.push(
                `offsets ${offsets.map((o) => `${o.partition}@${o.offset}`)} gen ${member.generationId}`,
              );
            },
            commit: async () => {
              stats.log.push('commit');
            },
            abort: async () => {
              stats.log.push('abort');
              release();
            },
          };
        },
        disconnect: async () => {
          stats.closed = true;
        },
      };
    },
  } as unknown as KafkaClient;
  return { client, made, group };
}

const member = (generationId: number): GroupMetadata => ({ groupId: 'g', generationId, memberId: 'm-1' });
const outputs = (key: string) => [{ topic: 'ride-predictions', messages: [{ key, value: 'p' }] }];
const logger = createLogger({ level: 'silent' });

describe('GenerationFencedSink', () => {
  it('commits offsets with the generation the batch came under, on a few producers shared by every partition', async () => {
    const { client, made } = fakeClient();
    const sink = new GenerationFencedSink(client, 'g', logger);
    await sink.publish({ topic: 'rides', partition: 0 }, outputs('a'), '11', member(5));
    await sink.publish({ topic: 'rides', partition: 3 }, outputs('b'), '40', member(5));
    expect(made).toHaveLength(1);
    await Promise.all([
      sink.publish({ topic: 'rides', partition: 1 }, outputs('c'), '7', member(5)),
      sink.publish({ topic: 'rides', partition: 2 }, outputs('d'), '9', member(5)),
    ]);
    expect(made).toHaveLength(2);
    const [first, second] = made;
    expect(first!.id).toMatch(/^g\.[0-9a-f]{8}\.0$/);
    expect(second!.id).toBe(first!.id.replace(/\.0$/, '.1'));
    expect(first!.log.slice(0, 8)).toEqual([
      'begin',
      'send a',
      'offsets 0@11 gen 5',
      'commit',
      'begin',
      'send b',
      'offsets 3@40 gen 5',
      'commit',
    ]);
  });

  it("aborts a zombie's transaction the coordinator refuses, and fences it with the slot's next producer", async () => {
    const { client, made, group } = fakeClient();
    const sink = new GenerationFencedSink(client, 'g', logger);
    await sink.publish({ topic: 'rides', partition: 0 }, outputs('a'), '11', member(5));
    group.generation = 6;
    await expect(
      sink.publish({ topic: 'rides', partition: 0 }, outputs('b'), '12', member(5)),
    ).rejects.toThrow('ILLEGAL_GENERATION');
    expect(made[0]!.log.slice(-2)).toEqual(['send b', 'abort']);
    expect(made[0]!.closed).toBe(true);
    await sink.publish({ topic: 'rides', partition: 0 }, outputs('b'), '12', member(6));
    expect(made.map((m) => m.id)).toEqual([made[0]!.id, made[0]!.id]);
    expect(made[1]!.log).toEqual(['begin', 'send b', 'offsets 0@12 gen 6', 'commit']);
  });

  it('refuses a batch handed over outside the group, before any transaction', async () => {
    const { client, made } = fakeClient();
    const sink = new GenerationFencedSink(client, 'g', logger);
    await expect(sink.publish({ topic: 'rides', partition: 0 }, outputs('a'), '11')).rejects.toThrow(
      'not in the group',
    );
    expect(made).toEqual([]);
  });

  it('after a reset, initialises each slot id again at once, fencing a producer stuck in a transaction', async () => {
    const { client, made } = fakeClient();
    const sink = new GenerationFencedSink(client, 'g', logger);
    const stuck = sink.publish({ topic: 'rides', partition: 0 }, outputs('hold'), '11', member(5));
    await expect.poll(() => made[0]?.log.at(-1)).toBe('send hold');
    sink.reset();
    expect(made[0]!.closed).toBe(true);
    await expect.poll(() => made[1]?.log).toEqual(['begin', 'abort']);
    expect(made[1]!.id).toBe(made[0]!.id);
    // The fresh producer serves the next chunk; the stuck publish never settles and holds nothing.
    await sink.publish({ topic: 'rides', partition: 0 }, outputs('c'), '11', member(5));
    expect(made).toHaveLength(2);
    expect(made[1]!.log.slice(2)).toEqual(['begin', 'send c', 'offsets 0@11 gen 5', 'commit']);
    void stuck.catch(() => undefined);
  });
});
