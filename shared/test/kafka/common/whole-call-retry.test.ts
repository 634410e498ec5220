import { describe, expect, it } from 'vitest';
import { retryBudgetMs, retryWholeCall } from '../../../src/kafka/common/whole-call-retry.js';

/** A failed call that says whether a retry can cure it, as both clients' errors do. */
const failure = (message: string, canRetry: boolean) => Object.assign(new Error(message), { canRetry });
const retriable = (err: unknown) => (err as { canRetry?: boolean }).canRetry === true;

const noWait = { retries: 3, delayMs: () => 0, retriable };

describe('retryWholeCall', () => {
  it('runs the whole call again while it fails with retriable errors: each attempt finds its node afresh', async () => {
    const nodes = [1, 1, 2];
    let attempts = 0;
    const answer = await retryWholeCall(async () => {
      // The call looks its node up each time it starts; the dead node 1 refuses the connection.
      const node = nodes[attempts++];
      if (node === 1) throw failure('connect ECONNREFUSED', true);
      return `answered by node ${node}`;
    }, noWait);
    expect(answer).toBe('answered by node 2');
    expect(attempts).toBe(3);
  });

  it('stops at once on an error no retry can cure', async () => {
    let attempts = 0;
    const call = retryWholeCall(async () => {
      attempts++;
      throw failure('GROUP_AUTHORIZATION_FAILED', false);
    }, noWait);
    await expect(call).rejects.toThrow('GROUP_AUTHORIZATION_FAILED');
    expect(attempts).toBe(1);
  });

  it('gives up after its retries, waiting as told between attempts', async () => {
    const waits: number[] = [];
    let attempts = 0;
    const call = retryWholeCall(
      async () => {
        attempts++;
        throw failure('connect ECONNREFUSED', true);
      },
      {
        retries: 2,
        retriable,
        delayMs: (attempt) => {
          waits.push(attempt);
          return 1;
        },
      },
    );
    await expect(call).rejects.toThrow('ECONNREFUSED');
    expect(attempts).toBe(3);
    expect(waits).toEqual([1, 2]);
  });
});

describe('retryBudgetMs', () => {
  it("adds up the pauses of a request's retries: 34.3 s for the default ten, none for zero", () => {
    expect(retryBudgetMs()).toBe(300 + 600 + 1200 + 2400 + 4800 + 5 * 5000);
    expect(retryBudgetMs(2)).toBe(900);
    expect(retryBudgetMs(0)).toBe(0);
  });
});
