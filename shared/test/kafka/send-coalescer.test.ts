import { describe, expect, it } from 'vitest';
import type { TopicRecords } from '../../src/kafka/port/kafka-port.js';
import { SendCoalescer } from '../../src/kafka/send-coalescer.js';

/** A fake request path (a unit test's collaborator): records each request, settled by the test. */
function fakeSend() {
  const requests: Array<{ topicMessages: TopicRecords[]; settle: (err?: Error) => void }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (topicMessages: TopicRecords[]) =>
    new Promise<void>((resolve, reject) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      requests.push({
        topicMessages,
        settle: (err) => {
          inFlight -= 1;
          if (err) reject(err);
          else resolve();
        },
      });
    });
  return { send, requests, maxInFlight: () => maxInFlight };
}

const msgs = (topic: string, ...values: string[]): TopicRecords => ({
  topic,
  messages: values.map((value) => ({ key: value, value })),
});
const tick = () => new Promise((resolve) => setImmediate(resolve));
const valuesOf = (t: TopicRecords[]) => t.map(({ topic, messages }) => [topic, messages.map((m) => m.value)]);

describe('SendCoalescer', () => {
  it('merges sends asked for while one is in flight into the next request, one request at a time', async () => {
    const fake = fakeSend();
    const coalescer = new SendCoalescer(fake.send);
    const settled: string[] = [];
    const first = coalescer.enqueue([msgs('p', 'a1')]).then(() => settled.push('first'));
    await tick();
    expect(fake.requests).toHaveLength(1);
    const second = coalescer
      .enqueue([msgs('p', 'b1', 'b2'), msgs('dlq', 'b3')])
      .then(() => settled.push('second'));
    const third = coalescer.enqueue([msgs('p', 'c1')]).then(() => settled.push('third'));
    await tick();
    expect(fake.requests).toHaveLength(1); // the merged group waits for the request in flight
    fake.requests[0]!.settle();
    await first;
    await tick();
    expect(fake.requests).toHaveLength(2);
    expect(valuesOf(fake.requests[1]!.topicMessages)).toEqual([
      ['p', ['b1', 'b2', 'c1']],
      ['dlq', ['b3']],
    ]);
    expect(settled).toEqual(['first']); // not acknowledged before its request is
    fake.requests[1]!.settle();
    await Promise.all([second, third]);
    expect(settled).toEqual(['first', 'second', 'third']);
    expect(fake.maxInFlight()).toBe(1);
  });

  it('merges sends of the same turn into the first request', async () => {
    const fake = fakeSend();
    const coalescer = new SendCoalescer(fake.send);
    const all = Promise.all([coalescer.enqueue([msgs('p', '1')]), coalescer.enqueue([msgs('p', '2')])]);
    await tick();
    expect(fake.requests.map((r) => valuesOf(r.topicMessages))).toEqual([[['p', ['1', '2']]]]);
    fake.requests[0]!.settle();
    await all;
  });

  it("rejects every caller of a failed request with its error, and the next group's callers not", async () => {
    const fake = fakeSend();
    const coalescer = new SendCoalescer(fake.send);
    const failed = coalescer.enqueue([msgs('p', '1')]);
    await tick();
    const later = coalescer.enqueue([msgs('p', '2')]);
    fake.requests[0]!.settle(new Error('broker down'));
    await expect(failed).rejects.toThrow('broker down');
    await tick();
    expect(fake.requests).toHaveLength(2);
    fake.requests[1]!.settle();
    await expect(later).resolves.toBeUndefined();
  });
});
