import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BatchHeartbeats,
  CoordinatorUnreachable,
  rejoinOnUnreachableCoordinator,
} from '../../../src/kafka/kafkajs/batch-heartbeats.js';

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

describe('rejoinOnUnreachableCoordinator', () => {
  // kafkajs's own error classes, as its connection layer throws them.
  const kafkajsErrors = createRequire(import.meta.url)('kafkajs') as Record<
    string,
    new (
      message: string,
      extra?: object,
    ) => Error
  >;

  it.each(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError'])(
    'turns %s into the NOT_COORDINATOR answer on which kafkajs rejoins (finding the coordinator afresh)',
    async (name) => {
      const refused = new kafkajsErrors[name]!('Connection error: connect ECONNREFUSED 127.0.0.1:39221');
      expect(refused.name).toBe(name);
      const heartbeat = rejoinOnUnreachableCoordinator(async () => {
        throw refused;
      });
      const err = await heartbeat().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CoordinatorUnreachable);
      // What kafkajs 2.2.4's isRebalancing (src/errors.js) reads.
      expect((err as CoordinatorUnreachable).type).toBe('NOT_COORDINATOR_FOR_GROUP');
      expect((err as CoordinatorUnreachable).cause).toBe(refused);
    },
  );

  it("passes the coordinator's own answers and successes through unchanged", async () => {
    const rebalancing = Object.assign(new Error('The group is rebalancing'), {
      type: 'REBALANCE_IN_PROGRESS',
    });
    const failing = rejoinOnUnreachableCoordinator(async () => {
      throw rebalancing;
    });
    await expect(failing()).rejects.toBe(rebalancing);
    const beat = vi.fn(async () => {});
    await rejoinOnUnreachableCoordinator(beat)();
    expect(beat).toHaveBeenCalledTimes(1);
  });
});
