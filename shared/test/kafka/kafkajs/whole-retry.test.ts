import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { retryWholeCall } from '../../../src/kafka/common/whole-call-retry.js';
import { kafkajsWholeRetry } from '../../../src/kafka/kafkajs/whole-retry.js';

// kafkajs's own error objects, as its protocol layer builds them from a broker's error code.
const require = createRequire(import.meta.url);
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): Error & { type: string; retriable: boolean };
};

const noWait = { ...kafkajsWholeRetry(3), delayMs: () => 0 };

describe('kafkajs calls asked again whole', () => {
  it.each([
    [16, 'NOT_COORDINATOR_FOR_GROUP'],
    [15, 'GROUP_COORDINATOR_NOT_AVAILABLE'],
    [14, 'GROUP_LOAD_IN_PROGRESS'],
  ])(
    'answers once the group coordinator has moved (error %i, %s, which kafkajs 2.2.4 sendOffsets does not retry)',
    async (code, type) => {
      let attempts = 0;
      const answer = await retryWholeCall(async () => {
        if (attempts++ === 0) throw createErrorFromCode(code);
        return 'committed';
      }, noWait);
      expect(createErrorFromCode(code).type).toBe(type);
      expect(answer).toBe('committed');
      expect(attempts).toBe(2);
    },
  );

  it('stops at once on an error kafkajs calls final', async () => {
    let attempts = 0;
    const call = retryWholeCall(async () => {
      attempts++;
      throw createErrorFromCode(47); // INVALID_PRODUCER_EPOCH: a newer producer took the transactional id
    }, noWait);
    await expect(call).rejects.toThrow();
    expect(attempts).toBe(1);
  });
});
