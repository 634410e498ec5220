import { createLogger } from '@ride/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  StreamSupervisor,
  type StreamSupervisorOptions,
} from '../../../src/stream/supervision/stream-supervisor.js';

// The supervisor against fakes of what it supervises: the client's run, the outputs, the offsets it reads.

afterEach(() => {
  vi.useRealTimers();
});

const STALL_MS = 4000;

function supervised(offsets = { committed: 0n, end: 100n }) {
  const calls: string[] = [];
  const fatal: Error[] = [];
  const recoveries: string[] = [];
  const checks: [number, boolean][] = [];
  const options: StreamSupervisorOptions = {
    topic: 'rides',
    stallTimeoutMs: STALL_MS,
    stopTimeoutMs: 1000,
    assigned: () => [0],
    readOffsets: async (partitions) => partitions.map((partition) => ({ partition, ...offsets })),
    run: {
      run: async () => {
        calls.push('run');
      },
      stop: async () => {
        calls.push('stop');
      },
      flush: async () => {
        calls.push('flush');
      },
      resetOutputs: () => {
        calls.push('resetOutputs');
      },
    },
    onCheck: (partition, stalled) => checks.push([partition, stalled]),
    onRecovery: (outcome) => recoveries.push(outcome),
    onFatal: (err) => fatal.push(err),
    logger: createLogger({ level: 'silent' }),
  };
  const supervisor = new StreamSupervisor(options);
  return { supervisor, options, calls, fatal, recoveries, checks };
}

describe('StreamSupervisor', () => {
  it('recovers a stalled partition: commits progress, stops the client, gives up the batches, runs it again', async () => {
    vi.useFakeTimers();
    const { supervisor, calls, recoveries, checks } = supervised();
    supervisor.joined([0]);
    supervisor.start();
    const epoch = supervisor.epoch.current;
    await vi.advanceTimersByTimeAsync(STALL_MS + 1000);
    expect(calls).toEqual(['flush', 'stop', 'resetOutputs', 'run']);
    expect(supervisor.epoch.isAbandoned(epoch)).toBe(true);
    expect(recoveries).toEqual(['recovered']);
    expect(checks).toContainEqual([0, true]);
    await supervisor.stop();
  });

  it('is not healthy while it recovers a stalled partition', async () => {
    vi.useFakeTimers();
    const { supervisor, options } = supervised();
    // A client that cannot be run again keeps the partition stalled.
    options.run.run = () => new Promise(() => {});
    supervisor.joined([0]);
    supervisor.start();
    expect(supervisor.healthy).toBe(true);
    await vi.advanceTimersByTimeAsync(STALL_MS + 1000);
    expect(supervisor.healthy).toBe(false);
    await supervisor.stop();
  });

  it('tells the process to exit when stalls come back after three recoveries with no batch finished', async () => {
    vi.useFakeTimers();
    const { supervisor, fatal, recoveries } = supervised();
    supervisor.joined([0]);
    supervisor.start();
    await vi.advanceTimersByTimeAsync(4 * (STALL_MS + 1000));
    // The process exits on the first fatal; left running, the supervisor would go on failing.
    expect(recoveries.slice(0, 4)).toEqual(['recovered', 'recovered', 'recovered', 'failed']);
    expect(fatal[0]).toMatchObject({ code: 'RIDE_PARTITION_STALLED' });
    await supervisor.stop();
  });

  it('counts recoveries again from zero after a batch finished', async () => {
    vi.useFakeTimers();
    const { supervisor, fatal, recoveries } = supervised();
    supervisor.joined([0]);
    supervisor.start();
    await vi.advanceTimersByTimeAsync(3 * (STALL_MS + 1000));
    expect(recoveries).toEqual(['recovered', 'recovered', 'recovered']);
    supervisor.progressed(0);
    await vi.advanceTimersByTimeAsync(STALL_MS + 1000);
    expect(recoveries).toEqual(['recovered', 'recovered', 'recovered', 'recovered']);
    expect(fatal).toEqual([]);
    await supervisor.stop();
  });

  it('gives up the batches in flight when the client crashes, and runs a client that gave up again', async () => {
    vi.useFakeTimers();
    const { supervisor, calls, fatal } = supervised({ committed: 0n, end: 0n });
    const epoch = supervisor.epoch.current;
    supervisor.crashed(new Error('retriable'), true);
    expect(supervisor.epoch.isAbandoned(epoch)).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toEqual([]);
    supervisor.crashed(new Error('coordinator not found'), false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual(['run']);
    expect(fatal).toEqual([]);
    await supervisor.stop();
  });
});
