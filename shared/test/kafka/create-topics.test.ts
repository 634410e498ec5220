import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.js';
import { createTopics } from '../../src/kafka/create-topics.js';
import type { Admin } from '../../src/kafka/kafka-client.js';

/** An admin whose metadata answers follow `answers` in turn (an Error is thrown), then the last one forever. */
function fakeAdmin(answers: (Error | number)[]): Admin {
  let i = 0;
  return {
    createTopics: async () => true,
    fetchTopicMetadata: async () => {
      const answer = answers[Math.min(i++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return { topics: [{ name: 't', partitions: [{ partitionId: 0, leader: answer }] }] };
    },
  } as unknown as Admin;
}
const kafkaError = (type: string) => Object.assign(new Error(type), { type });

describe('createTopics', () => {
  it('waits through the errors a broker answers for a topic it just created (KRaft metadata lag)', async () => {
    const admin = fakeAdmin([
      kafkaError('UNKNOWN_TOPIC_OR_PARTITION'),
      kafkaError('LEADER_NOT_AVAILABLE'),
      -1,
      1,
    ]);
    await expect(createTopics(admin, [{ topic: 't', numPartitions: 1 }])).resolves.toBe(true);
  });

  it('fails on any other error, and names the topics when leaders never come', async () => {
    await expect(
      createTopics(fakeAdmin([kafkaError('TOPIC_AUTHORIZATION_FAILED')]), [{ topic: 't', numPartitions: 1 }]),
    ).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
    await expect(
      createTopics(fakeAdmin([-1]), [{ topic: 't', numPartitions: 1 }], 300),
    ).rejects.toMatchObject({
      code: ErrorCodes.BROKER_UNAVAILABLE,
      message: expect.stringContaining('no leader yet for t'),
    });
  });
});
