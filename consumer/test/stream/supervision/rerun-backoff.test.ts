import { describe, expect, it } from 'vitest';
import { RerunBackoff } from '../../../src/stream/supervision/rerun-backoff.js';

describe('RerunBackoff', () => {
  it('doubles the delay per run, gives up after the last one, and starts over after a reset', () => {
    const backoff = new RerunBackoff(3, 100);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 400]);
    expect(backoff.attempts).toBe(3);
    expect(backoff.next()).toBeUndefined();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
