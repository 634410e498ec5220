import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupMembership } from '../../src/stream/group-membership.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('GroupMembership', () => {
  it('keeps the sorted partitions of its topic and returns the ones a join took away', () => {
    const membership = new GroupMembership('rides');
    expect(membership.joined).toBe(false);
    expect(membership.joinedWith({ rides: [4, 0, 2], other: [1] })).toEqual([]);
    expect(membership.joined).toBe(true);
    expect(membership.partitions).toEqual([0, 2, 4]);
    expect(membership.joinedWith({ rides: [2, 5] })).toEqual([0, 4]);
    expect(membership.partitions).toEqual([2, 5]);
  });

  it('remembers the last partitions while out of the group after a crash, and forgets them on a stop', () => {
    const membership = new GroupMembership('rides');
    membership.joinedWith({ rides: [1, 3] });
    membership.left();
    expect(membership.joined).toBe(false);
    expect(membership.partitions).toEqual([1, 3]);
    membership.stopped();
    expect(membership.partitions).toEqual([]);
  });

  it('tells whether the next join came, the wait was abandoned, or the time ran out', async () => {
    vi.useFakeTimers();
    const membership = new GroupMembership('rides');
    const never = new Promise<void>(() => {});

    const joined = membership.nextJoin(1000, never);
    membership.joinedWith({ rides: [0] });
    await expect(joined).resolves.toBe('joined');

    let abandon: () => void = () => {};
    const abandoned = membership.nextJoin(1000, new Promise<void>((resolve) => (abandon = resolve)));
    abandon();
    await expect(abandoned).resolves.toBe('abandoned');

    const timedOut = membership.nextJoin(1000, never);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(timedOut).resolves.toBe('timeout');
    // A join that came before the wait is not the next join.
    membership.joinedWith({ rides: [0] });
    const afterJoin = membership.nextJoin(1000, never);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(afterJoin).resolves.toBe('timeout');
  });
});
