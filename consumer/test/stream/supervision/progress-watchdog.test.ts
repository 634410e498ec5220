import { createLogger } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import {
  type PartitionOffsets,
  ProgressWatchdog,
  type Stall,
} from '../../../src/stream/supervision/progress-watchdog.js';

const TIMEOUT = 10_000;
const INTERVAL = 1_000;

/**
 * A watchdog on a hand-driven clock over offsets the test sets; check() is called by the test. The first check
 * (at 0, when the test first runs the clock) is when the partitions are first seen: their clocks start there.
 */
function setUp(assigned: number[]) {
  const clock = { now: 0 };
  const offsets = new Map<number, { committed: bigint; end: bigint }>();
  const stalls: Stall[][] = [];
  const views: Map<number, boolean>[] = [];
  let failRead = false;
  const watchdog = new ProgressWatchdog({
    topic: 'rides',
    stallTimeoutMs: TIMEOUT,
    checkIntervalMs: INTERVAL,
    assigned: () => assigned,
    readOffsets: async (partitions): Promise<PartitionOffsets[]> => {
      if (failRead) throw new Error('broker away');
      return partitions.map((partition) => ({ partition, ...offsets.get(partition)! }));
    },
    onStall: (s) => stalls.push(s),
    onCheck: (v) => views.push(new Map(v)),
    now: () => clock.now,
    logger: createLogger({ level: 'silent' }),
  });
  /** Advances the clock in check-interval steps, checking at each, as the timer would. */
  let seen = false;
  const run = async (ms: number) => {
    if (!seen) {
      seen = true;
      await watchdog.check();
    }
    for (let t = 0; t < ms; t += INTERVAL) {
      clock.now += INTERVAL;
      await watchdog.check();
    }
  };
  const set = (partition: number, committed: number, end: number) =>
    offsets.set(partition, { committed: BigInt(committed), end: BigInt(end) });
  return { watchdog, clock, stalls, views, run, set, failReads: (v: boolean) => (failRead = v) };
}

describe('ProgressWatchdog', () => {
  it('reports a partition behind with no finished batch once the timeout passed, with its offsets', async () => {
    const t = setUp([0, 1]);
    t.set(0, 91, 130);
    t.set(1, 50, 50);
    await t.run(TIMEOUT - INTERVAL);
    expect(t.stalls).toEqual([]);
    await t.run(INTERVAL);
    expect(t.stalls).toEqual([
      [{ topic: 'rides', partition: 0, committed: '91', end: '130', stalledMs: TIMEOUT }],
    ]);
    expect(t.views.at(-1)).toEqual(
      new Map([
        [0, true],
        [1, false],
      ]),
    );
  });

  it('never reports a partition whose batches keep finishing, however far behind', async () => {
    const t = setUp([0]);
    t.set(0, 0, 1_000_000);
    for (let i = 0; i < 10; i++) {
      await t.run(TIMEOUT / 2);
      t.watchdog.progressed(0);
    }
    expect(t.stalls).toEqual([]);
  });

  it('never reports an idle, caught-up partition, and gives new work a full timeout', async () => {
    const t = setUp([0]);
    t.set(0, 40, 40);
    await t.run(5 * TIMEOUT);
    t.set(0, 40, 45);
    await t.run(TIMEOUT - INTERVAL);
    expect(t.stalls).toEqual([]);
    await t.run(2 * INTERVAL);
    expect(t.stalls.map((s) => s.map((x) => x.partition))).toContainEqual([0]);
  });

  it('counts a partition with nothing committed yet as behind when its log has records', async () => {
    const t = setUp([3]);
    t.set(3, -1, 7);
    await t.run(TIMEOUT);
    expect(t.stalls.flat().map((s) => s.partition)).toEqual([3]);
    const empty = setUp([3]);
    empty.set(3, -1, 0);
    await empty.run(2 * TIMEOUT);
    expect(empty.stalls).toEqual([]);
  });

  it('keeps counting a partition kept across group joins, and gives a newly assigned one a full timeout', async () => {
    const assigned = [0];
    const t = setUp(assigned);
    t.set(0, 1, 9);
    t.set(1, 1, 9);
    // A member rejoining every few seconds (its session expiring while stuck) still owns partition 0.
    await t.run(TIMEOUT / 2);
    t.watchdog.joined([0]);
    await t.run(TIMEOUT / 2 - INTERVAL);
    t.watchdog.joined([0]);
    expect(t.stalls).toEqual([]);
    assigned.push(1);
    t.watchdog.joined([0, 1]);
    await t.run(INTERVAL);
    expect(t.stalls.flat().map((s) => [s.partition, s.stalledMs])).toEqual([[0, TIMEOUT]]);
    await t.run(TIMEOUT - 2 * INTERVAL);
    expect(t.stalls.flat().map((s) => s.partition)).not.toContain(1);
    await t.run(INTERVAL);
    expect(t.stalls.at(-1)?.map((s) => s.partition)).toEqual([0, 1]);
  });

  it('gives a full timeout again after a reset (recovery) and ignores unowned partitions', async () => {
    const assigned = [0];
    const t = setUp(assigned);
    t.set(0, 1, 9);
    t.set(1, 1, 9);
    await t.run(TIMEOUT - INTERVAL);
    t.watchdog.reset();
    await t.run(TIMEOUT - INTERVAL);
    expect(t.stalls).toEqual([]);
    await t.run(INTERVAL);
    expect(t.stalls.flat().map((s) => s.partition)).toEqual([0]);
  });

  it('gives no verdict while offsets cannot be read, and a full timeout once they can', async () => {
    const t = setUp([0]);
    t.set(0, 1, 9);
    await t.run(TIMEOUT - INTERVAL);
    t.failReads(true);
    await t.run(3 * TIMEOUT);
    expect(t.stalls).toEqual([]);
    t.failReads(false);
    await t.run(TIMEOUT - INTERVAL);
    expect(t.stalls).toEqual([]);
    await t.run(INTERVAL);
    expect(t.stalls).toHaveLength(1);
  });

  it('does not blame the client for time the process itself was frozen (SIGSTOP)', async () => {
    const t = setUp([0]);
    t.set(0, 1, 9);
    await t.run(TIMEOUT / 2);
    t.clock.now += 60_000;
    await t.watchdog.check();
    await t.run(TIMEOUT - INTERVAL);
    expect(t.stalls).toEqual([]);
    await t.run(INTERVAL);
    expect(t.stalls).toHaveLength(1);
  });
});
