/** TypeScript shapes of the Avro records in this folder; avro-types.test.ts keeps the two from drifting. */
export interface RideStartedV1 {
  ride_id: string;
  pickup_datetime: number;
  PULocationID: number;
  DOLocationID: number;
  trip_distance: number;
}

export interface RideStartedV2 extends RideStartedV1 {
  vendor_id: number | null;
  passenger_count: number | null;
}

/** The latest ride-started version; producers write this one. */
export type RideStarted = RideStartedV2;

export interface RidePrediction {
  ride_id: string;
  ride_duration: number;
  model: string;
  version: string;
  event_time: number;
  scored_at: number;
}

/** A ride has ended: the ground truth for its prediction (the actual duration is dropoff minus pickup). */
export interface RideCompletedV1 {
  ride_id: string;
  dropoff_datetime: number;
}

/** The latest ride-completed version; producers write this one. */
export type RideCompleted = RideCompletedV1;
