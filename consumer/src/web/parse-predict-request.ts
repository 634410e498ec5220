import { RequestError, type RideFeatures } from '@ride/shared';
import { parsePickupTime } from './parse-pickup-time.js';

export interface PredictRequest {
  rides: RideFeatures[];
  /** An array came in, so an array goes out. */
  batch: boolean;
}

/**
 * Turns a POST /predict body into rides: one object (the course's request) or an array of them.
 * Every shape problem is reported at once, each naming the row and field; zone ids and distance ranges are the
 * model's to judge (ModelScorer.check), since they depend on the model's metadata.
 */
export function parsePredictRequest(body: unknown, maxBatch: number, now: number): PredictRequest {
  const batch = Array.isArray(body);
  const items: unknown[] = batch ? body : [body];
  if (batch && items.length === 0)
    throw new RequestError('the request array is empty: send at least one ride');
  if (items.length > maxBatch) {
    throw new RequestError(
      `the request has ${items.length} rides, more than the ${maxBatch} allowed: split it`,
      {
        details: { limit: maxBatch },
      },
    );
  }
  const problems: string[] = [];
  const rides = items.map((item, i) => parseRide(item, batch ? `[${i}].` : '', now, problems));
  if (problems.length > 0) {
    throw new RequestError(problems.join('; '), { details: { problems } });
  }
  return { rides, batch };
}

/** The ride in one request item; its problems are pushed onto `problems` (the returned ride is then unused). */
function parseRide(item: unknown, where: string, now: number, problems: string[]): RideFeatures {
  const ride = (typeof item === 'object' && item !== null && !Array.isArray(item) ? item : {}) as Record<
    string,
    unknown
  >;
  if (ride !== item) {
    problems.push(
      `${where ? `${where.slice(0, -1)} ` : 'the body '}must be an object with PULocationID, DOLocationID, trip_distance`,
    );
    return { puLocationId: Number.NaN, doLocationId: Number.NaN, tripDistance: Number.NaN, pickupMs: now };
  }
  const zone = (field: string): number => {
    const v = ride[field];
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    problems.push(`${where}${field} must be an integer zone id, got ${JSON.stringify(v) ?? 'nothing'}`);
    return Number.NaN;
  };
  const puLocationId = zone('PULocationID');
  const doLocationId = zone('DOLocationID');
  const distance = ride.trip_distance;
  if (typeof distance !== 'number') {
    problems.push(
      `${where}trip_distance must be a number of miles, got ${JSON.stringify(distance) ?? 'nothing'}`,
    );
  }
  let pickupMs = Number.NaN;
  try {
    pickupMs = parsePickupTime(ride.pickup_datetime, `${where}pickup_datetime`, now);
  } catch (err) {
    problems.push((err as Error).message);
  }
  return { puLocationId, doLocationId, tripDistance: distance as number, pickupMs };
}
