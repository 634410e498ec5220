import { createLogger, decodePrediction, type InRecord, SchemaCatalog } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { ChunkScorer } from '../../../src/stream/core/chunk-scorer.js';
import { fakeScorer, rideRecord } from '../stream-fixtures.js';

const bad: InRecord = {
  offset: '9',
  timestamp: '0',
  key: Buffer.from('bad'),
  value: Buffer.from('not avro'),
};

describe('ChunkScorer', () => {
  it('gives one send per chunk: predictions, dead letters, then shadow predictions, and the answering version', async () => {
    let current = fakeScorer('1', 2);
    const chunks = new ChunkScorer({
      scorer: () => current,
      shadow: { scorer: () => fakeScorer('2', 10), topic: 'shadow' },
      topics: { predictions: 'out', deadLetters: 'dlq' },
      format: 'avro',
      wire: 'confluent',
      catalog: SchemaCatalog.fixed(),
      maxMessageBytes: 1_000_000,
      logger: createLogger({ level: 'silent' }),
    });
    const source = { topic: 'rides', partition: 0 };
    const scored = await chunks.score([rideRecord(1), bad, rideRecord(3)], source);
    expect(scored.outputs.map((o) => [o.topic, o.messages.length])).toEqual([
      ['out', 2],
      ['dlq', 1],
      ['shadow', 2],
    ]);
    const durations = (topic: string) =>
      scored.outputs
        .find((o) => o.topic === topic)!
        .messages.map((m) => decodePrediction(m.value as Buffer).ride_duration);
    expect(durations('out')).toEqual([2, 6]);
    expect(durations('shadow')).toEqual([10, 30]);
    expect(scored.size).toBe(3);
    expect([...scored.outcome.answeredBy.keys()]).toEqual(['1']);
    // The model is asked per chunk: a swap answers the next chunk.
    current = fakeScorer('3', 1);
    const next = await chunks.score([rideRecord(4)], source);
    expect([...next.outcome.answeredBy.keys()]).toEqual(['3']);
  });
});
