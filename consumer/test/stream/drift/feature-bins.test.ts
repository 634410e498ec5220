import type { ModelMetadata } from '@ride/shared/model';
import { describe, expect, it } from 'vitest';
import { FeatureBins, type TimedRide } from '../../../src/stream/drift/feature-bins.js';

const metadata = (features: unknown[]) =>
  ({
    name: 'ride-duration',
    version: '9',
    zones: [1, 2, 3],
    zone_borough_codes: [2, 3, 3],
    boroughs: ['Bronx', 'Brooklyn', 'EWR', 'Manhattan'],
    drift_reference: { rows: 10, features },
  }) as unknown as ModelMetadata;

const reference = [
  { name: 'PULocationID', map: 'zone_borough_codes', categories: [2, 3], shares: [0.5, 0.5, 0] },
  { name: 'DOLocationID', map: 'zone_borough_codes', categories: [3], shares: [1, 0] },
  { name: 'trip_distance', edges: [1, 5], shares: [0.2, 0.5, 0.3] },
  { name: 'pickup_hour', categories: [8, 9], shares: [0.4, 0.4, 0.2] },
  { name: 'pickup_dow', categories: [0, 1, 2, 3, 4, 5, 6], shares: [0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0] },
];

const ride = (pu: number, dist: number, pickup: string): TimedRide => ({
  rideId: 'r',
  rideIdJsonText: '"r"',
  puLocationId: pu,
  doLocationId: 3,
  tripDistance: dist,
  pickupMs: Date.parse(pickup),
});

describe('FeatureBins', () => {
  it('bins zones by borough (unknown zones: other), distances by edges, hours and days in New York time', () => {
    const bins = FeatureBins.fromMetadata(metadata(reference)) as FeatureBins;
    expect(bins.features.map((f) => f.labels)).toEqual([
      ['EWR', 'Manhattan', 'other'],
      ['Manhattan', 'other'],
      ['<=1', '<=5', '>5'],
      ['8', '9', 'other'],
      ['0', '1', '2', '3', '4', '5', '6', 'other'],
    ]);
    // 2021-02-01 13:30Z is 08:30 in New York, a Monday (0); 2021-02-07 02:00Z is Saturday 21:00.
    const counts = bins.count([
      ride(1, 1, '2021-02-01T13:30:00Z'),
      ride(3, 1.01, '2021-02-01T13:30:00Z'),
      ride(99, 12, '2021-02-07T02:00:00Z'),
    ]);
    expect(counts).toEqual([
      [1, 1, 1],
      [3, 0],
      [1, 1, 1],
      [2, 0, 1],
      [2, 0, 0, 0, 0, 1, 0, 0],
    ]);
  });

  it('is undefined for a model without a reference, and lists what is wrong with a broken one', () => {
    const { drift_reference: _, ...bare } = metadata(reference);
    expect(FeatureBins.fromMetadata(bare as ModelMetadata)).toBeUndefined();
    const broken = FeatureBins.fromMetadata(
      metadata([
        { name: 'PULocationID', categories: [1, 2], shares: [1, 0] },
        { name: 'trip_distance', edges: [1], shares: [0.5, 0.5] },
        { name: 'pickup_hour', shares: [1] },
      ]),
    );
    expect(broken).toEqual([
      'drift_reference feature "PULocationID": 2 categories need 3 shares (the last is "other")',
      'drift_reference has no feature "DOLocationID"',
      'drift_reference feature "pickup_hour" has neither "edges" nor "categories"',
      'drift_reference has no feature "pickup_dow"',
    ]);
  });
});
