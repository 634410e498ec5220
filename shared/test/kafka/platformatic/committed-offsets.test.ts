import { ProtocolError } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../../src/errors.js';
import {
  readStable,
  stableOffsets,
  UNSTABLE_OFFSET_COMMIT,
} from '../../../src/kafka/platformatic/committed-offsets.js';

const wanted = [{ topic: 't', partitions: [0, 1] }];
const fast = { deadlineMs: 200, backoffMs: 1, maxBackoffMs: 5 };

function answer(errorCodes: number[], groupError = 0) {
  return {
    groupId: 'g',
    errorCode: groupError,
    topics: [
      {
        name: 't',
        partitions: errorCodes.map((errorCode, partitionIndex) => ({
          partitionIndex,
          committedOffset: errorCode === 0 ? BigInt(10 + partitionIndex) : -1n,
          committedLeaderEpoch: -1,
          metadata: null,
          errorCode,
        })),
      },
    ],
  };
}

describe('stableOffsets', () => {
  it('returns the offsets of a stable answer by topic:partition', () => {
    expect(stableOffsets(answer([0, 0]), wanted)).toEqual({
      offsets: new Map([
        ['t:0', 10n],
        ['t:1', 11n],
      ]),
    });
  });

  it('asks again while a transaction commits offsets of a partition, or the coordinator moves', () => {
    expect(stableOffsets(answer([0, UNSTABLE_OFFSET_COMMIT]), wanted)).toEqual({
      retry: 'open transactions commit offsets of t:1',
    });
    expect(stableOffsets(answer([], 16), wanted)).toMatchObject({ retry: expect.any(String) });
    expect(stableOffsets(answer([0]), wanted)).toEqual({ retry: 'no answer for t:1' });
  });

  it('throws a BrokerError for an error no retry can cure', () => {
    expect(() => stableOffsets(answer([0, 30]), wanted)).toThrow(BrokerError);
    expect(() => stableOffsets(answer([], 30), wanted)).toThrow(BrokerError);
  });
});

describe('readStable', () => {
  it('retries UNSTABLE_OFFSET_COMMIT until the transaction ended', async () => {
    const answers = [
      answer([UNSTABLE_OFFSET_COMMIT, 0]),
      answer([UNSTABLE_OFFSET_COMMIT, 0]),
      answer([0, 0]),
    ];
    let calls = 0;
    const offsets = await readStable(
      async () => answers[calls++] ?? answer([0, 0]),
      wanted,
      () => false,
      fast,
    );
    expect(calls).toBe(3);
    expect(offsets.get('t:0')).toBe(10n);
  });

  it('retries a retriable client error', async () => {
    let calls = 0;
    const offsets = await readStable(
      async () => {
        calls += 1;
        if (calls === 1) throw new ProtocolError('COORDINATOR_LOAD_IN_PROGRESS');
        return answer([0, 0]);
      },
      wanted,
      () => false,
      fast,
    );
    expect(offsets.size).toBe(2);
  });

  it('fails with a BrokerError once the deadline passed, never with the older offset', async () => {
    await expect(
      readStable(
        async () => answer([UNSTABLE_OFFSET_COMMIT, 0]),
        wanted,
        () => false,
        fast,
      ),
    ).rejects.toMatchObject({ code: 'RIDE_BROKER_UNAVAILABLE', message: /not stable after 200 ms/ });
  });

  it('gives up at once when the session stopped, and on an error no retry can cure', async () => {
    await expect(
      readStable(
        async () => answer([UNSTABLE_OFFSET_COMMIT, 0]),
        wanted,
        () => true,
        fast,
      ),
    ).rejects.toThrow(/stopped/);
    await expect(
      readStable(
        async () => Promise.reject(new Error('boom')),
        wanted,
        () => false,
        fast,
      ),
    ).rejects.toBeInstanceOf(BrokerError);
  });
});
