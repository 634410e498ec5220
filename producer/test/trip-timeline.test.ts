import type { RideCompleted, RideStarted, TlcTrip } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { type ReplayEvent, replayEvents } from '../src/replay.js';
import type { SendResult } from '../src/ride-producer.js';
import { tripTimeline, tripToCompletion } from '../src/trip-timeline.js';
import { tripToRide } from '../src/trip-to-ride.js';

const T0 = Date.UTC(2021, 1, 1, 5);
const MIN = 60_000;

/** A trip of the file `f` at `row`, picked up `pickup` and dropped off `dropoff` minutes after T0. */
function trip(row: number, pickup: number, dropoff: number): TlcTrip {
  return {
    rideId: `f:${row}`,
    rowIndex: row,
    pickupMs: T0 + pickup * MIN,
    pickupWallMs: T0 + pickup * MIN,
    dropoffMs: T0 + dropoff * MIN,
    puLocationId: 1,
    doLocationId: 2,
    tripDistance: 1,
    vendorId: 2,
    passengerCount: 1,
    durationMinutes: dropoff - pickup,
  };
}

const label = (e: ReplayEvent) => `${e.kind === 'ride' ? 'start' : 'end'} ${rideId(e)}`;
const rideId = (e: ReplayEvent) => (e.kind === 'ride' ? e.ride.ride_id : e.completion.ride_id);

describe('tripTimeline', () => {
  it('puts each ride at its pickup and its completion at its drop-off, in time order', () => {
    const trips = [trip(0, 0, 20), trip(1, 5, 10), trip(2, 12, 30)];
    expect(tripTimeline(trips).map(label)).toEqual([
      'start f:0',
      'start f:1',
      'end f:1',
      'start f:2',
      'end f:0',
      'end f:2',
    ]);
    expect(tripTimeline(trips).map((e) => (e.at - T0) / MIN)).toEqual([0, 5, 10, 12, 20, 30]);
  });

  it('gives every trip its ride, exactly as the rides-only replay does, and completions under the same ids', () => {
    const trips = [trip(3, 9, 40), trip(4, 1, 2), trip(5, 1, 1)];
    const timeline = tripTimeline(trips);
    const rides = timeline.flatMap((e) => (e.kind === 'ride' ? [e.ride] : []));
    const byId = (a: RideStarted, b: RideStarted) => a.ride_id.localeCompare(b.ride_id);
    expect([...rides].sort(byId)).toEqual(trips.map(tripToRide).sort(byId));
    const completions = timeline.flatMap((e) => (e.kind === 'completion' ? [e.completion] : []));
    expect(completions.map((c) => c.ride_id).sort()).toEqual(['f:3', 'f:4', 'f:5']);
    expect(completions.find((c) => c.ride_id === 'f:3')).toEqual({
      ride_id: 'f:3',
      dropoff_datetime: T0 + 40 * MIN,
    } satisfies RideCompleted);
  });

  it('sends a ride before its completion at the same instant, and keeps the file order among equals', () => {
    const trips = [trip(0, 1, 1), trip(1, 0, 1), trip(2, 1, 3)];
    expect(tripTimeline(trips).map(label)).toEqual([
      'start f:1',
      'start f:0',
      'start f:2',
      'end f:0',
      'end f:1',
      'end f:2',
    ]);
  });

  it('places a completion recorded before its pickup right after its ride, with the drop-off as recorded', () => {
    const trips = [trip(0, 10, 4), trip(1, 5, 6)];
    const timeline = tripTimeline(trips);
    expect(timeline.map(label)).toEqual(['start f:1', 'end f:1', 'start f:0', 'end f:0']);
    expect(timeline[3]).toMatchObject({ at: T0 + 10 * MIN, completion: { dropoff_datetime: T0 + 4 * MIN } });
  });

  it('sends no completion for a trip lacking a time, and its ride all the same', () => {
    const noDropoff = { ...trip(0, 0, 5), dropoffMs: Number.NaN };
    const noPickup = { ...trip(1, 0, 5), pickupMs: Number.NaN };
    expect(tripToCompletion(noDropoff)).toBeUndefined();
    expect(tripToCompletion(noPickup)).toBeUndefined();
    expect(tripTimeline([noPickup, noDropoff, trip(2, 1, 2)]).map(label)).toEqual([
      'start f:0',
      'start f:2',
      'end f:2',
      'start f:1',
    ]);
  });
});

describe('replayEvents over a timeline', () => {
  /** Records each send with its virtual time; sleeping advances the clock, so pacing is checked without waiting. */
  function recorder() {
    let t = 0;
    const sends: Array<{ at: number; rides: string[]; completions: string[] }> = [];
    return {
      sends,
      clock: {
        now: () => t,
        sleep: async (ms: number) => {
          t += ms;
        },
      },
      sender: {
        async sendBatch(
          rides: readonly RideStarted[],
          completions: readonly RideCompleted[] = [],
        ): Promise<SendResult> {
          sends.push({
            at: t,
            rides: rides.map((r) => r.ride_id),
            completions: completions.map((c) => c.ride_id),
          });
          return { sent: rides.length + completions.length, failed: 0 };
        },
      },
    };
  }

  it('sends rides at their pickups and completions at their drop-offs, sped up alike', async () => {
    const r = recorder();
    const stats = await replayEvents(tripTimeline([trip(0, 0, 20), trip(1, 5, 10)]), r.sender, {
      pace: { kind: 'speedup', factor: 60 },
      ...r.clock,
    });
    // Minutes of the file become seconds of the replay.
    expect(r.sends).toEqual([
      { at: 0, rides: ['f:0'], completions: [] },
      { at: 5000, rides: ['f:1'], completions: [] },
      { at: 10_000, rides: [], completions: ['f:1'] },
      { at: 20_000, rides: [], completions: ['f:0'] },
    ]);
    expect(stats).toMatchObject({ sent: 4, failed: 0 });
  });

  it('sends rides and completions that fall due together in one batch, counting both against the batch size', async () => {
    const r = recorder();
    const trips = Array.from({ length: 5 }, (_, i) => trip(i, 0, 0));
    await replayEvents(tripTimeline(trips), r.sender, { pace: { kind: 'max' }, batchSize: 4, ...r.clock });
    expect(r.sends.map((s) => [s.rides.length, s.completions.length])).toEqual([
      [4, 0],
      [1, 3],
      [0, 2],
    ]);
  });

  it('stops both streams at the duration limit', async () => {
    const r = recorder();
    await replayEvents(tripTimeline([trip(0, 0, 30), trip(1, 10, 12)]), r.sender, {
      pace: { kind: 'speedup', factor: 60 },
      durationMs: 15_000,
      ...r.clock,
    });
    expect(r.sends.flatMap((s) => [...s.rides, ...s.completions.map((id) => `end ${id}`)])).toEqual([
      'f:0',
      'f:1',
      'end f:1',
    ]);
  });
});
