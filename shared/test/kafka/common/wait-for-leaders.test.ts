import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.js';
import { type ReadLeaders, waitForLeaders } from '../../../src/kafka/common/wait-for-leaders.js';

/** Metadata answers that follow `answers` in turn (an Error is thrown), then the last one forever. */
function leadersFrom(answers: (Error | number)[]): ReadLeaders {
  let i = 0;
  return async () => {
    const answer = answers[Math.min(i++, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return new Map([['t', [answer]]]);
  };
}
const kafkaError = (type: string) => Object.assign(new Error(type), { type });

describe('waitForLeaders', () => {
  it('waits through the errors a broker answers for a topic it just created (KRaft metadata lag)', async () => {
    const read = leadersFrom([
      kafkaError('UNKNOWN_TOPIC_OR_PARTITION'),
      kafkaError('LEADER_NOT_AVAILABLE'),
      -1,
      1,
    ]);
    await expect(waitForLeaders(read, [{ topic: 't', numPartitions: 1 }])).resolves.toBeUndefined();
  });

  it('fails on any other error, and names the topics when leaders never come', async () => {
    await expect(
      waitForLeaders(leadersFrom([kafkaError('TOPIC_AUTHORIZATION_FAILED')]), [
        { topic: 't', numPartitions: 1 },
      ]),
    ).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
    await expect(
      waitForLeaders(leadersFrom([-1]), [{ topic: 't', numPartitions: 1 }], 300),
    ).rejects.toMatchObject({
      code: ErrorCodes.BROKER_UNAVAILABLE,
      message: expect.stringContaining('no leader yet for t'),
    });
  });

  it('waits for every partition, not just the first to appear', async () => {
    let calls = 0;
    const read: ReadLeaders = async () => new Map([['t', calls++ < 2 ? [1] : [1, 1]]]);
    await waitForLeaders(read, [{ topic: 't', numPartitions: 2 }]);
    expect(calls).toBe(3);
  });
});
