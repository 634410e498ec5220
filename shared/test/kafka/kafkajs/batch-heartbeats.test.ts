import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchHeartbeats } from '../../../src/kafka/kafkajs/batch-heartbeats.js';

describe('BatchHeartbeats', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('heartbeats at every interval while the batch runs, and stops when it ends', async () => {
    const heartbeat = vi.fn(async () => {});
    const beats = new BatchHeartbeats(heartbeat, 1000);
    await vi.advanceTimersByTimeAsync(3500);
    expect(heartbeat).toHaveBeenCalledTimes(3);
    expect(beats.failed).toBe(false);
    await beats.end();
    await vi.advanceTimersByTimeAsync(5000);
    expect(heartbeat).toHaveBeenCalledTimes(3);
  });

  it('never has two heartbeats in flight', async () => {
    let answer!: () => void;
    const heartbeat = vi.fn(() => new Promise<void>((resolve) => (answer = resolve)));
    const beats = new BatchHeartbeats(heartbeat, 100);
    await vi.advanceTimersByTimeAsync(1000);
    expect(heartbeat).toHaveBeenCalledTimes(1);
    answer();
    await vi.advanceTimersByTimeAsync(100);
    expect(heartbeat).toHaveBeenCalledTimes(2);
    const ended = beats.end();
    answer();
    await ended;
  });

  it('makes the batch stale on a failed heartbeat and throws it when the batch returns, for kafkajs to rejoin', async () => {
    const rebalance = new Error('The group is rebalancing, so a rejoin is needed');
    const heartbeat = vi.fn(async () => {
      throw rebalance;
    });
    const beats = new BatchHeartbeats(heartbeat, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(beats.failed).toBe(true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(heartbeat).toHaveBeenCalledTimes(1);
    await expect(beats.end()).rejects.toBe(rebalance);
  });

  it('cancel stops the heartbeats without throwing (the batch has its own error)', async () => {
    const heartbeat = vi.fn(async () => {
      throw new Error('coordinator gone');
    });
    const beats = new BatchHeartbeats(heartbeat, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    beats.cancel();
    await vi.advanceTimersByTimeAsync(3000);
    expect(heartbeat).toHaveBeenCalledTimes(1);
  });
});
