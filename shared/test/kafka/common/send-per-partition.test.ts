import { describe, expect, it } from 'vitest';
import { type SendLayout, sendPerPartition } from '../../../src/kafka/common/send-per-partition.js';
import type { TopicRecords } from '../../../src/kafka/port/kafka-port.js';

/** Partition = the key's number modulo 3. */
const layout = (replicated: boolean): SendLayout => ({
  replicated,
  partitionOf: (_topic, message) => Number(message.key) % 3,
});

const records: TopicRecords[] = [
  { topic: 'predictions', messages: ['1', '2', '4', '3', '7'].map((key) => ({ key, value: `v${key}` })) },
  { topic: 'dead-letters', messages: [{ key: '5', value: 'bad', partition: 0 }] },
];

function recorder() {
  const sends: TopicRecords[][] = [];
  return { sends, send: async (one: readonly TopicRecords[]) => void sends.push([...one]) };
}

describe('sendPerPartition', () => {
  it('sends once per topic partition, in order within each, when the partitions are replicated', async () => {
    const { sends, send } = recorder();
    await sendPerPartition(records, layout(true), send);
    expect(sends).toEqual([
      [
        {
          topic: 'predictions',
          messages: [
            { key: '1', value: 'v1', partition: 1 },
            { key: '4', value: 'v4', partition: 1 },
            { key: '7', value: 'v7', partition: 1 },
          ],
        },
      ],
      [{ topic: 'predictions', messages: [{ key: '2', value: 'v2', partition: 2 }] }],
      [{ topic: 'predictions', messages: [{ key: '3', value: 'v3', partition: 0 }] }],
      // A partition the caller chose is kept, not recomputed.
      [{ topic: 'dead-letters', messages: [{ key: '5', value: 'bad', partition: 0 }] }],
    ]);
  });

  it('keeps one send where no leader can move (one replica per partition)', async () => {
    const { sends, send } = recorder();
    await sendPerPartition(records, layout(false), send);
    expect(sends).toEqual([records]);
  });

  it('reports a failure only once every send has settled', async () => {
    const settled: string[] = [];
    let release = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sending = sendPerPartition(records, layout(true), async ([one]) => {
      const partition = one!.messages[0]!.partition;
      if (partition === 2) throw new Error('NOT_LEADER_OR_FOLLOWER');
      if (partition === 1) await slow;
      settled.push(`${one!.topic}-${partition}`);
    });
    let failure: unknown;
    void sending.catch((err: unknown) => {
      failure = err;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(failure).toBeUndefined();
    release();
    await expect(sending).rejects.toThrow('NOT_LEADER_OR_FOLLOWER');
    expect(settled.sort()).toEqual(['dead-letters-0', 'predictions-0', 'predictions-1']);
  });
});
