import { describe, expect, it } from 'vitest';
import { nycLocalToEpochMs, nycTimeParts } from '../../src/model/nyc-time.js';

describe('New York time parts', () => {
  it.each([
    ['2021-02-01T08:15:00', '2021-02-01T13:15:00.000Z', 8, 0],
    ['2021-07-04T23:59:59', '2021-07-05T03:59:59.000Z', 23, 6],
    ['2021-03-14T01:59:00', '2021-03-14T06:59:00.000Z', 1, 6],
    ['2021-03-14T03:00:00', '2021-03-14T07:00:00.000Z', 3, 6],
    ['2021-11-07T01:30:00', '2021-11-07T05:30:00.000Z', 1, 6],
    ['2021-11-07 02:30:00', '2021-11-07T07:30:00.000Z', 2, 6],
  ])('%s is %s, hour %i, weekday %i', (local, utc, hour, dow) => {
    const t = nycLocalToEpochMs(local);
    expect(new Date(t).toISOString()).toBe(utc);
    expect(nycTimeParts(t)).toEqual({ hour, dow });
  });

  it('moves a wall time skipped by spring-forward one hour later', () => {
    expect(nycTimeParts(nycLocalToEpochMs('2021-03-14T02:30:00')).hour).toBe(3);
  });

  it('gives NaN for an unreadable time', () => {
    expect(nycLocalToEpochMs('yesterday')).toBeNaN();
  });
});
