import type { RideStarted } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { replay } from '../src/replay.js';
import type { SendResult } from '../src/ride-producer.js';
import { syntheticRides } from '../src/synthetic-rides.js';

/** A virtual clock: sleeping advances time, so pacing is checked without waiting. */
function virtualClock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

function recorder(failEvery = 0) {
  const batches: Array<{ at: number; ids: string[] }> = [];
  let calls = 0;
  return {
    batches,
    clock: virtualClock(),
    sender(clock: { now: () => number }) {
      return {
        async sendBatch(rides: readonly RideStarted[]): Promise<SendResult> {
          calls++;
          if (failEvery > 0 && calls % failEvery === 0)
            return { sent: 0, failed: rides.length, error: new Error('nope') };
          batches.push({ at: clock.now(), ids: rides.map((r) => r.ride_id) });
          return { sent: rides.length, failed: 0 };
        },
      };
    },
  };
}

function* first<T>(items: Iterable<T>, n: number) {
  let i = 0;
  for (const item of items) {
    if (i++ >= n) return;
    yield item;
  }
}
const rides = (n: number) => [...first(syntheticRides({ seed: 1, startMs: 0 }), n)];

describe('replay', () => {
  it('sends everything in order in batches when as fast as possible', async () => {
    const r = recorder();
    const stats = await replay(first(syntheticRides({ seed: 1 }), 1234), r.sender(r.clock), {
      pace: { kind: 'max' },
      batchSize: 500,
      ...r.clock,
    });
    expect(r.batches.map((b) => b.ids.length)).toEqual([500, 500, 234]);
    expect(r.batches.flatMap((b) => b.ids)).toEqual(
      [...first(syntheticRides({ seed: 1 }), 1234)].map((x) => x.ride_id),
    );
    expect(stats).toMatchObject({ sent: 1234, failed: 0 });
  });

  it('holds a fixed rate: ride i goes out no earlier than i / rate seconds', async () => {
    const r = recorder();
    await replay(first(syntheticRides({ seed: 1 }), 1000), r.sender(r.clock), {
      pace: { kind: 'rate', perSecond: 100 },
      ...r.clock,
    });
    let index = 0;
    for (const batch of r.batches) {
      expect(batch.at).toBeGreaterThanOrEqual(((index + batch.ids.length - 1) * 1000) / 100 - 5);
      index += batch.ids.length;
    }
    expect(r.clock.now()).toBeGreaterThanOrEqual(9990 - 5);
  });

  it('follows the rides own pickup pace divided by the speed-up factor', async () => {
    const r = recorder();
    const list: RideStarted[] = [0, 60_000, 120_000].map((t, i) => ({
      ...rides(1)[0]!,
      ride_id: String(i),
      pickup_datetime: 1_000_000 + t,
    }));
    await replay(list, r.sender(r.clock), { pace: { kind: 'speedup', factor: 60 }, ...r.clock });
    expect(r.batches.map((b) => b.at)).toEqual([0, 1000, 2000]);
  });

  it('counts failed batches as failed, never as sent', async () => {
    const r = recorder(2);
    const stats = await replay(first(syntheticRides({ seed: 1 }), 400), r.sender(r.clock), {
      pace: { kind: 'max' },
      batchSize: 100,
      ...r.clock,
    });
    expect(stats).toMatchObject({ sent: 200, failed: 200 });
  });

  it('stops at the duration limit or when aborted', async () => {
    const r = recorder();
    const stats = await replay(syntheticRides({ seed: 1 }), r.sender(r.clock), {
      pace: { kind: 'rate', perSecond: 10 },
      durationMs: 1000,
      ...r.clock,
    });
    expect(stats.sent).toBe(10);
    const abort = new AbortController();
    abort.abort();
    expect(
      (
        await replay(syntheticRides(), r.sender(r.clock), {
          pace: { kind: 'max' },
          signal: abort.signal,
          ...r.clock,
        })
      ).sent,
    ).toBe(0);
  });
});
