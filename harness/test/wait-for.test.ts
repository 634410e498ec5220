import { describe, expect, it } from 'vitest';
import { waitFor } from '../wait-for.js';

describe('waitFor', () => {
  it('resolves once the check passes, checking again after each pause', async () => {
    let calls = 0;
    await waitFor(
      () => ++calls === 3,
      1_000,
      () => 'never passed',
      { intervalMs: 1 },
    );
    expect(calls).toBe(3);
  });

  it('fails after the timeout with the state the describe function reports', async () => {
    let seen = 0;
    const wait = waitFor(
      () => {
        seen++;
        return false;
      },
      30,
      () => `checked ${seen > 0 ? 'and failed' : 'never'}`,
      { intervalMs: 5 },
    );
    await expect(wait).rejects.toThrow('checked and failed');
  });

  it('throws an Error from describe as it is, keeping its class and cause', async () => {
    class ProbeError extends Error {}
    const failure = new ProbeError('not ready', { cause: 'refused' });
    await expect(
      waitFor(
        () => false,
        10,
        () => failure,
        { intervalMs: 5 },
      ),
    ).rejects.toBe(failure);
  });

  it('ends at once with the error of a check that throws', async () => {
    let calls = 0;
    const wait = waitFor(
      () => {
        calls++;
        throw new Error('exited');
      },
      1_000,
      () => 'timed out',
    );
    await expect(wait).rejects.toThrow('exited');
    expect(calls).toBe(1);
  });
});
