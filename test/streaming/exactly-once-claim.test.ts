import { ExactlyOnceSink } from '@ride/consumer';
import { createLogger } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { disconnectAfterTest, testKafka } from '../support/test-kafka.js';

const logger = createLogger({ level: 'silent' });

describe('exactly-once sink: claiming a partition', () => {
  it('fences the previous owner, then reports the offset it committed, never one it left open', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 1);
    const group = uniqueName('g');
    const source = { topic: topics.rides, partition: 0 };
    const output = (id: string) => [{ topic: topics.predictions, messages: [{ key: id, value: id }] }];

    const first = disconnectAfterTest(new ExactlyOnceSink(kafka, group, logger));
    await first.connect();
    expect(await first.claim(source)).toBeUndefined();
    await first.publish(source, output('a'), '10');
    // Claiming again is free for the current owner: nothing to skip.
    expect(await first.claim(source)).toBeUndefined();

    // A stalled owner with a transaction still open on the partition's transactional id.
    const zombie = disconnectAfterTest(kafka.transactionalProducer(`${group}.${topics.rides}.0`));
    await zombie.connect();
    const open = await zombie.begin();
    await open.send([{ topic: topics.predictions, messages: [{ key: 'zombie', value: 'zombie' }] }]);
    await open.sendOffsets(group, [{ topic: topics.rides, partition: 0, offset: '20' }]);

    const second = disconnectAfterTest(new ExactlyOnceSink(kafka, group, logger));
    await second.connect();
    expect(await second.claim(source)).toBe('10');
    await expect(open.commit()).rejects.toThrow();
    await second.publish(source, output('b'), '25');

    const third = disconnectAfterTest(new ExactlyOnceSink(kafka, group, logger));
    await third.connect();
    expect(await third.claim(source)).toBe('25');

    const committed = await collectRecords(kafka, topics.predictions, { isolation: 'read_committed' });
    expect(committed.map((r) => r.key)).toEqual(['a', 'b']);
  });
});
