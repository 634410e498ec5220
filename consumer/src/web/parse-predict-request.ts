import { EventError, jsonMemberSources, RequestError, readJsonRideId } from '@ride/shared';
import type { RideFeatures } from '@ride/shared/model';
import { parsePickupTime } from './parse-pickup-time.js';
import type { RawJsonBody } from './raw-json-body.js';

export interface PredictRequest {
  rides: RideFeatures[];
  /** Per ride, the JSON text of the `ride_id` it gave, echoed in its answer; undefined when it gave none. */
  rideIds: (string | undefined)[];
  /** Rides whose `ride_id` is neither a string nor an integer, by index: refused with a code, like the model's. */
  refusedIds: Map<number, EventError>;
  /** An array came in, so an array goes out. */
  batch: boolean;
}

/**
 * Turns a POST /predict body into rides: one object (the course's request) or an array of them.
 * Every shape problem is reported at once, each naming the row and field; zone ids and distance ranges are the
 * model's to judge (ModelScorer.check), since they depend on the model's metadata.
 */
export function parsePredictRequest(body: RawJsonBody, maxBatch: number, now: number): PredictRequest {
  const batch = Array.isArray(body.value);
  const items: unknown[] = batch ? (body.value as unknown[]) : [body.value];
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
  return { rides, ...readRideIds(items, batch, body.text), batch };
}

/**
 * Each item's optional `ride_id`, by the stream's rule for JSON events (readJsonRideId). Items are objects here
 * (shape problems were thrown). A number id's digits come from the request text, since JSON.parse rounds integers
 * beyond 2^53; the text is scanned only when some id is a number.
 */
function readRideIds(
  items: unknown[],
  batch: boolean,
  text: string,
): Omit<PredictRequest, 'rides' | 'batch'> {
  const given = items.map((item) => (item as Record<string, unknown>).ride_id);
  const sources = given.some((id) => typeof id === 'number') ? jsonMemberSources(text, 'ride_id') : new Map();
  const rideIds: (string | undefined)[] = [];
  const refusedIds = new Map<number, EventError>();
  given.forEach((id, i) => {
    rideIds.push(undefined);
    if (id === undefined) return;
    const [field, pointer] = batch ? [`[${i}].ride_id`, `/${i}/ride_id`] : ['ride_id', '/ride_id'];
    try {
      rideIds[i] = readJsonRideId(id, sources.get(pointer), field).jsonText;
    } catch (err) {
      if (!(err instanceof EventError)) throw err;
      refusedIds.set(i, err);
    }
  });
  return { rideIds, refusedIds };
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
