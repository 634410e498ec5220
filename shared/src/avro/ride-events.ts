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
