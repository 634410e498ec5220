import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { batchRecords, recordHeaders } from '../../../src/kafka/platformatic/record-batches.js';

function recordBatch(firstOffset: bigint, count: number, extra: Partial<RecordsBatch> = {}): RecordsBatch {
  return {
    firstOffset,
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes: 0,
    lastOffsetDelta: count - 1,
    firstTimestamp: 1_700_000_000_000n,
    maxTimestamp: 1_700_000_009_999n,
    producerId: -1n,
    producerEpoch: -1,
    firstSequence: -1,
    records: Array.from({ length: count }, (_, i) => ({
      length: 0,
      attributes: 0,
      timestampDelta: BigInt(i * 10),
      offsetDelta: i,
      key: i === 0 ? null : Buffer.from(`k${i}`),
      value: i === 1 ? null : Buffer.from(`v${i}`),
      headers: [],
    })),
    ...extra,
  };
}

describe('batchRecords', () => {
  it('numbers records from the batch offset, as decimal strings, from the fetch position on', () => {
    const { messages, next } = batchRecords([recordBatch(10n, 3), recordBatch(13n, 2)], 11n);
    expect(messages.map((m) => m.offset)).toEqual(['11', '12', '13', '14']);
    expect(messages.map((m) => m.timestamp)).toEqual([
      '1700000000010',
      '1700000000020',
      '1700000000000',
      '1700000000010',
    ]);
    expect(next).toBe(15n);
  });

  it('keeps null keys and values null', () => {
    const { messages } = batchRecords([recordBatch(0n, 3)], 0n);
    expect(messages.map((m) => [m.key?.toString() ?? null, m.value?.toString() ?? null])).toEqual([
      [null, 'v0'],
      ['k1', null],
      ['k2', 'v2'],
    ]);
  });

  it('skips control batches but moves the position past them', () => {
    const marker = recordBatch(5n, 1, { attributes: IS_CONTROL });
    const { messages, next } = batchRecords([recordBatch(3n, 2), marker], 3n);
    expect(messages.map((m) => m.offset)).toEqual(['3', '4']);
    expect(next).toBe(6n);
  });

  it('counts offsets beyond 2^53 exactly', () => {
    const { messages } = batchRecords([recordBatch(2n ** 62n, 2)], 0n);
    expect(messages.map((m) => m.offset)).toEqual([String(2n ** 62n), String(2n ** 62n + 1n)]);
  });

  it('stamps records of a LogAppendTime batch with the broker time', () => {
    const { messages } = batchRecords([recordBatch(0n, 2, { attributes: 0b1000 })], 0n);
    expect(messages.map((m) => m.timestamp)).toEqual(['1700000009999', '1700000009999']);
  });

  it('leaves the position where it was when nothing came back', () => {
    expect(batchRecords([], 7n)).toEqual({ messages: [], next: 7n });
  });
});

describe('recordHeaders', () => {
  it('names headers as strings and lists a repeated name in order', () => {
    const headers = recordHeaders([
      [Buffer.from('a'), Buffer.from('1')],
      [Buffer.from('b'), null],
      [Buffer.from('a'), Buffer.from('2')],
      [Buffer.from('a'), Buffer.from('3')],
    ]);
    expect(Object.keys(headers)).toEqual(['a', 'b']);
    expect((headers.a as Buffer[]).map(String)).toEqual(['1', '2', '3']);
    expect(String(headers.b)).toBe('');
  });
});

describe('batchRecords under read_committed', () => {
  const txn = (producerId: bigint) => ({ attributes: IS_TRANSACTIONAL, producerId });
  const marker = (offset: bigint, producerId: bigint, type: 0 | 1) => {
    const key = Buffer.alloc(4);
    key.writeInt16BE(0, 0);
    key.writeInt16BE(type, 2);
    const batch = recordBatch(offset, 1, { attributes: IS_TRANSACTIONAL | IS_CONTROL, producerId });
    batch.records[0]!.key = key;
    return batch;
  };

  it("skips an aborted transaction's batches even when its abort marker is in a later response", () => {
    // Producer 7 aborted a transaction from offset 10; producer 8 committed one from 12; the marker of 7 is past
    // this response's end (maxBytes cut it off).
    const batches = [recordBatch(10n, 2, txn(7n)), recordBatch(12n, 2, txn(8n)), marker(14n, 8n, 1)];
    const { messages, next } = batchRecords(batches, 10n, [{ producerId: 7n, firstOffset: 10n }]);
    expect(messages.map((m) => m.offset)).toEqual(['12', '13']);
    expect(next).toBe(15n);
  });

  it("keeps the producer's later transactions once its abort marker passed, and non-transactional batches", () => {
    const batches = [
      recordBatch(0n, 2),
      recordBatch(2n, 2, txn(7n)),
      marker(4n, 7n, 0),
      recordBatch(5n, 2, txn(7n)),
      marker(7n, 7n, 1),
    ];
    const { messages } = batchRecords(batches, 0n, [{ producerId: 7n, firstOffset: 2n }]);
    expect(messages.map((m) => m.offset)).toEqual(['0', '1', '5', '6']);
  });

  it('hides nothing without aborted transactions', () => {
    const { messages } = batchRecords([recordBatch(0n, 2, txn(7n)), marker(2n, 7n, 1)], 0n);
    expect(messages.map((m) => m.offset)).toEqual(['0', '1']);
  });
});
