import { describe, expect, it } from 'vitest';
import { SessionLease } from '../../../src/kafka/common/session-lease.js';

/** A clock the test moves by hand. */
function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('SessionLease', () => {
  it('holds for the session timeout after the last answer, and lapses past it', () => {
    const c = clock();
    const lease = new SessionLease(6_000, c.now);
    c.advance(6_000);
    expect(lease.lapsed()).toBe(false);
    c.advance(1);
    expect(lease.lapsed()).toBe(true);
    expect(lease.silentMs()).toBe(6_001);
  });

  it('is renewed by an answer, which says whether the lease had lapsed', () => {
    const c = clock();
    const lease = new SessionLease(6_000, c.now);
    c.advance(5_000);
    expect(lease.renew()).toBe(false);
    c.advance(5_000);
    expect(lease.lapsed()).toBe(false);
    c.advance(8_000);
    expect(lease.renew()).toBe(true);
    expect(lease.lapsed()).toBe(false);
    expect(lease.silentMs()).toBe(0);
  });
});
