import { describe, expect, it } from 'vitest';
import { type RideOutcome, RidePairs, type ScoredRide } from '../../src/evaluate/ride-pairs.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2021, 1, 1, 8);

let offset = 0n;
const read = (replayed: boolean) => ({ offset: offset++, replayed });
const ride = (id: number, pickupMin: number, predicted = 12, replayed = false): ScoredRide => ({
  ...read(replayed),
  rideId: `r:${id}`,
  model: 'ride-duration',
  version: '1.0.0',
  predictedMinutes: predicted,
  pickupMs: T0 + pickupMin * MIN,
});
const done = (id: number, dropoffMin: number, replayed = false): RideOutcome => ({
  ...read(replayed),
  rideId: `r:${id}`,
  dropoffMs: T0 + dropoffMin * MIN,
});

describe('RidePairs', () => {
  it('pairs a prediction with its completion in either order, with the actual duration in minutes', () => {
    const pairs = new RidePairs({ ttlMs: 2 * HOUR, maxPending: 100 });
    expect(pairs.addPrediction(ride(1, 0))).toBeUndefined();
    expect(pairs.addCompletion(done(1, 14))).toMatchObject({ actualMinutes: 14, ride: { rideId: 'r:1' } });
    expect(pairs.addCompletion(done(2, 20))).toBeUndefined();
    expect(pairs.addPrediction(ride(2, 5))).toMatchObject({
      actualMinutes: 15,
      outcome: { dropoffMs: T0 + 20 * MIN },
    });
    expect(pairs.pending).toEqual({ predictions: 0, completions: 0 });
    expect(pairs.counts.paired).toBe(2);
  });

  it('ignores and counts a second prediction or completion of a ride (at-least-once delivery)', () => {
    const pairs = new RidePairs({ ttlMs: 2 * HOUR, maxPending: 100 });
    pairs.addPrediction(ride(1, 0));
    expect(pairs.addPrediction(ride(1, 0, 99))).toBeUndefined();
    expect(pairs.addCompletion(done(1, 10))?.ride.predictedMinutes).toBe(12);
    expect(pairs.addCompletion(done(1, 10))).toBeUndefined();
    expect(pairs.addPrediction(ride(1, 0))).toBeUndefined();
    expect(pairs.counts).toMatchObject({ paired: 1, duplicates: 3 });
  });

  it('gives up an unmatched side once both inputs are a TTL past it, and counts it', () => {
    const pairs = new RidePairs({ ttlMs: HOUR, maxPending: 100 });
    pairs.addPrediction(ride(1, 0)); // never completes
    pairs.addCompletion(done(2, 15)); // its prediction never came
    pairs.addPrediction(ride(3, 50));
    pairs.addCompletion(done(9, 55));
    expect(pairs.counts).toMatchObject({ expiredPredictions: 0, expiredCompletions: 0 });
    pairs.addPrediction(ride(4, 70));
    // Predictions are past ride 1 by more than the hour, but completions are not: its completion may still come.
    expect(pairs.counts).toMatchObject({ expiredPredictions: 0, expiredCompletions: 0 });
    pairs.addCompletion(done(8, 70));
    expect(pairs.counts).toMatchObject({ expiredPredictions: 1, expiredCompletions: 0 });
    pairs.addPrediction(ride(5, 80));
    pairs.addCompletion(done(7, 80));
    expect(pairs.counts).toMatchObject({ expiredPredictions: 1, expiredCompletions: 1 });
    // The expired completion's late prediction is given up on arrival rather than held.
    expect(pairs.addPrediction(ride(2, 1))).toBeUndefined();
    expect(pairs.counts.expiredPredictions).toBe(2);
    expect(pairs.addCompletion(done(3, 75))?.actualMinutes).toBe(25);
  });

  it('holds every prediction while the completions lag, however far the predictions run ahead', () => {
    const pairs = new RidePairs({ ttlMs: HOUR, maxPending: 1000 });
    for (let i = 0; i < 100; i++) pairs.addPrediction(ride(i, i * 10)); // 16 h of predictions first
    for (let i = 0; i < 100; i++) expect(pairs.addCompletion(done(i, i * 10 + 12))?.actualMinutes).toBe(12);
    expect(pairs.counts).toMatchObject({ paired: 100, expiredPredictions: 0, expiredCompletions: 0 });
  });

  it('holds at most maxPending unmatched events, giving up the oldest and counting them', () => {
    const pairs = new RidePairs({ ttlMs: 24 * HOUR, maxPending: 3 });
    for (let i = 0; i < 5; i++) pairs.addPrediction(ride(i, i));
    expect(pairs.pending.predictions).toBe(3);
    expect(pairs.counts.evicted).toBe(2);
    expect(pairs.addCompletion(done(0, 20))).toBeUndefined();
    expect(pairs.addCompletion(done(4, 20))?.actualMinutes).toBe(16);
  });

  it("follows the slower input's event time, and an old event does not move it back", () => {
    const pairs = new RidePairs({ ttlMs: HOUR, maxPending: 100 });
    pairs.addCompletion(done(1, 90));
    expect(pairs.watermark).toBe(Number.NEGATIVE_INFINITY);
    pairs.addPrediction(ride(2, 100));
    expect(pairs.watermark).toBe(T0 + 90 * MIN);
    pairs.addCompletion(done(3, 20));
    expect(pairs.watermark).toBe(T0 + 90 * MIN);
  });

  it('tells the oldest offsets it holds, waiting or paired, so that a restart reads neither half of a pair alone', () => {
    const pairs = new RidePairs({ ttlMs: 2 * HOUR, maxPending: 100 });
    expect(pairs.oldestHeld()).toEqual({ prediction: undefined, completion: undefined });
    const first = ride(1, 0);
    const second = ride(2, 1);
    pairs.addPrediction(first);
    pairs.addPrediction(second);
    const other = done(3, 5);
    pairs.addCompletion(other);
    expect(pairs.oldestHeld()).toEqual({ prediction: first.offset, completion: other.offset });
    const firstDone = done(1, 10);
    pairs.addCompletion(firstDone);
    // Ride 1 is paired: remembered (for duplicates) with both its offsets until a TTL past its drop-off.
    expect(pairs.oldestHeld()).toEqual({ prediction: first.offset, completion: other.offset });
    // Two hours on, everything before is given up or forgotten: only the new ride is held.
    const later = ride(9, 200);
    const laterDone = done(10, 200);
    pairs.addPrediction(later);
    pairs.addCompletion(laterDone);
    expect(pairs.oldestHeld()).toEqual({ prediction: later.offset, completion: laterDone.offset });
  });

  it('pairs events read again after a restart as before, but counts nothing twice', () => {
    // Before the restart, events older than 30 min were given up (and counted then).
    const pairs = new RidePairs({ ttlMs: HOUR, maxPending: 100, expiredBeforeMs: T0 + 30 * MIN });
    pairs.addPrediction(ride(1, 40, 12, true));
    expect(pairs.addCompletion(done(1, 49, true))?.actualMinutes).toBe(9);
    pairs.addPrediction(ride(2, 41, 12, true));
    expect(pairs.addCompletion(done(2, 51))?.actualMinutes).toBe(10);
    pairs.addPrediction(ride(2, 41, 12, true));
    // Given up before the restart: held again, and given up again without being counted again.
    pairs.addPrediction(ride(3, 20, 12, true));
    pairs.addPrediction(ride(4, 100));
    pairs.addCompletion(done(5, 100));
    expect(pairs.counts).toMatchObject({
      paired: 1,
      duplicates: 0,
      expiredPredictions: 0,
      expiredCompletions: 0,
    });
    pairs.addPrediction(ride(6, 200));
    pairs.addCompletion(done(7, 200));
    expect(pairs.counts).toMatchObject({ expiredPredictions: 1, expiredCompletions: 1 });
  });

  it('does not pair a ride completing more than the TTL after its pickup: both halves are given up', () => {
    const pairs = new RidePairs({ ttlMs: HOUR, maxPending: 100 });
    pairs.addPrediction(ride(1, 0));
    expect(pairs.addCompletion(done(1, 61))).toBeUndefined();
    pairs.addPrediction(ride(2, 200));
    pairs.addCompletion(done(3, 200));
    expect(pairs.counts).toMatchObject({ paired: 0, expiredPredictions: 1, expiredCompletions: 1 });
  });
});
