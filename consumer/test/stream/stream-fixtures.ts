import { encodeRideStarted, type InRecord } from '@ride/shared';
import type { ModelScorer, RideFeatures, ScoreResult } from '@ride/shared/model';

/** A fetched ride-started record at `offset`, ride id `r<offset>`, its trip distance `distance` miles. */
export function rideRecord(offset: number, distance = offset): InRecord {
  return {
    offset: String(offset),
    timestamp: String(1_612_180_800_000 + offset),
    key: Buffer.from(`r${offset}`),
    value: encodeRideStarted({
      ride_id: `r${offset}`,
      pickup_datetime: 1_612_180_800_000,
      PULocationID: 1,
      DOLocationID: 2,
      trip_distance: distance,
      vendor_id: null,
      passenger_count: null,
    }),
  };
}

/** A model of version `version` that predicts distance × `factor` minutes. */
export function fakeScorer(version = '9.9.9', factor = 3): ModelScorer {
  return {
    name: 'fake',
    version,
    metadata: { name: 'fake', version },
    async score(rides: readonly RideFeatures[]): Promise<ScoreResult> {
      const durations = Float64Array.from(rides, (r) => r.tripDistance * factor);
      return { durations, errors: rides.map(() => undefined), invalidCount: 0 };
    },
  } as unknown as ModelScorer;
}
