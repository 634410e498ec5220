import type { OutRecord } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../harness/index.js';
import { consumeMessages } from './support/consume-messages.js';
import { createTestTopic, disconnectAfterTest, testKafka } from './support/test-kafka.js';

const KEYS = 1_000;
const PER_KEY = 10;
const BATCH = 1_000;

describe('kafka round trip through the harness broker', () => {
  it('delivers 10,000 keyed messages exactly once, in order per key', async () => {
    const kafka = testKafka();
    const topic = uniqueName('roundtrip');
    await createTestTopic(kafka, topic, 6);

    const producer = disconnectAfterTest(kafka.producer({ idempotent: true }));
    await producer.connect();
    const all: OutRecord[] = [];
    for (let seq = 0; seq < PER_KEY; seq++) {
      for (let i = 0; i < KEYS; i++) all.push({ key: `ride-${i}`, value: JSON.stringify({ seq }) });
    }
    // Each send is acknowledged before the next, so a key's later sequence numbers never overtake earlier ones.
    for (let start = 0; start < all.length; start += BATCH) {
      await producer.send([{ topic, messages: all.slice(start, start + BATCH) }]);
    }

    const received = await consumeMessages(kafka, { topic, groupId: uniqueName('group'), count: all.length });

    expect(received).toHaveLength(KEYS * PER_KEY);
    const seen = new Set(
      received.map((m) => `${m.key}#${(JSON.parse(m.value ?? '') as { seq: number }).seq}`),
    );
    expect(seen.size).toBe(KEYS * PER_KEY);

    const byKey = new Map<string, { partitions: Set<number>; seqs: number[] }>();
    for (const m of received) {
      const entry = byKey.get(m.key ?? '') ?? { partitions: new Set(), seqs: [] };
      entry.partitions.add(m.partition);
      entry.seqs.push((JSON.parse(m.value ?? '') as { seq: number }).seq);
      byKey.set(m.key ?? '', entry);
    }
    expect(byKey.size).toBe(KEYS);
    const expectedSeqs = Array.from({ length: PER_KEY }, (_, seq) => seq);
    for (const [key, { partitions, seqs }] of byKey) {
      expect(partitions.size, `${key} stays on one partition`).toBe(1);
      expect(seqs, `${key} in order`).toEqual(expectedSeqs);
    }
    expect(new Set(received.map((m) => m.partition)).size).toBe(6);
  });
});
