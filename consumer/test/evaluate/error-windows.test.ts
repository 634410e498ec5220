import { describe, expect, it } from 'vitest';
import { ErrorWindows } from '../../src/evaluate/error-windows.js';
import type { RidePair } from '../../src/evaluate/ride-pairs.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2021, 1, 1, 8);

let offset = 0n;

function pair(
  version: string,
  dropoffMin: number,
  predicted: number,
  actual: number,
  replayed = false,
): RidePair {
  const dropoffMs = T0 + dropoffMin * MIN;
  const rideId = `${version}:${dropoffMin}:${predicted}`;
  return {
    ride: {
      offset: offset++,
      replayed,
      rideId,
      model: 'ride-duration',
      version,
      predictedMinutes: predicted,
      pickupMs: dropoffMs - actual * MIN,
    },
    outcome: { offset: offset++, replayed, rideId, dropoffMs },
    actualMinutes: actual,
  };
}

describe('ErrorWindows', () => {
  it('keeps figures per model version and window of drop-off time', () => {
    const windows = new ErrorWindows({ windowMs: HOUR, latenessMs: 0 });
    windows.add(pair('1.0.0', 10, 10, 12));
    windows.add(pair('1.0.0', 20, 20, 16));
    windows.add(pair('2.0.0', 30, 15, 15));
    windows.add(pair('1.0.0', 70, 8, 9));
    const closed = windows.close(T0 + 2 * HOUR);
    expect(closed.map((w) => [w.version, w.windowStartMs - T0, w.count])).toEqual([
      ['1.0.0', 0, 2],
      ['2.0.0', 0, 1],
      ['1.0.0', HOUR, 1],
    ]);
    expect(closed[0]).toMatchObject({ bias: 1, mae: 3, windowEndMs: T0 + HOUR });
    expect(closed[0]!.rmse).toBeCloseTo(Math.sqrt((4 + 16) / 2), 12);
    expect(closed[1]).toMatchObject({ bias: 0, rmse: 0 });
  });

  it('finalises a window only once the watermark is past its end by the lateness, then refuses late pairs', () => {
    const windows = new ErrorWindows({ windowMs: HOUR, latenessMs: 10 * MIN });
    windows.add(pair('1.0.0', 50, 10, 12));
    expect(windows.close(T0 + HOUR + 5 * MIN)).toEqual([]);
    expect(windows.add(pair('1.0.0', 55, 10, 10))).toBe(true);
    expect(windows.close(T0 + HOUR + 10 * MIN).map((w) => w.count)).toEqual([2]);
    expect(windows.add(pair('1.0.0', 59, 10, 10))).toBe(false);
    expect(windows.late).toBe(1);
  });

  it('counts rides outside the trained 1..60 minutes apart from the error figures', () => {
    const windows = new ErrorWindows({ windowMs: HOUR, latenessMs: 0 });
    windows.add(pair('1.0.0', 10, 10, 0.5));
    windows.add(pair('1.0.0', 20, 60, 95));
    windows.add(pair('1.0.0', 30, 10, 11));
    const [w] = windows.peek();
    expect(w).toMatchObject({ count: 1, outOfRange: 2, bias: -1 });
  });

  it('tells the oldest offsets its open windows were built from, so a restart reads again from there', () => {
    const windows = new ErrorWindows({ windowMs: HOUR, latenessMs: 0 });
    expect(windows.oldestOpen()).toEqual({ prediction: undefined, completion: undefined });
    const early = pair('1.0.0', 10, 10, 12);
    const later = pair('1.0.0', 70, 10, 12);
    windows.add(later);
    windows.add(early);
    expect(windows.oldestOpen()).toEqual({ prediction: early.ride.offset, completion: early.outcome.offset });
    windows.close(T0 + HOUR);
    expect(windows.oldestOpen()).toEqual({ prediction: later.ride.offset, completion: later.outcome.offset });
  });

  it('after a restart publishes no window again that was final at the checkpoint, and counts its pairs as no late ones', () => {
    const windows = new ErrorWindows({ windowMs: HOUR, latenessMs: 0, closedBeforeMs: T0 + HOUR });
    expect(windows.add(pair('1.0.0', 30, 10, 12, true))).toBe(false);
    expect(windows.late).toBe(0);
    expect(windows.add(pair('1.0.0', 30, 10, 12))).toBe(false);
    expect(windows.late).toBe(1);
    expect(windows.add(pair('1.0.0', 65, 10, 12, true))).toBe(true);
    expect(windows.close(T0 + HOUR).length).toBe(0);
  });
});
