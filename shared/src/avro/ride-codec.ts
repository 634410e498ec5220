import { ContentTypes, parseAvroContentType } from '../contracts/headers.js';
import { ErrorCodes, EventError } from '../errors.js';
import {
  type AvroResolver,
  createResolver,
  RIDE_PREDICTION_LATEST,
  RIDE_STARTED_LATEST,
  ridePredictionTypes,
  rideStartedTypes,
} from './avro-types.js';
import type { RidePrediction, RideStarted, RideStartedV1 } from './ride-events.js';

/**
 * A ride event as the consumer sees it after decoding, whatever the wire format. Field values are not yet
 * validated (the model scorer does that); `pickupMs` is undefined when the event did not say.
 */
export interface DecodedRide {
  rideId: string;
  /** The ride id exactly as a JSON producer sent it (number or string), echoed in JSON predictions. */
  rideIdJson: string | number;
  pickupMs: number | undefined;
  puLocationId: number;
  doLocationId: number;
  tripDistance: number;
}

/** Encodes a ride-started event with the latest schema (or an older one, for compatibility tests). */
export function encodeRideStarted(
  event: RideStarted | RideStartedV1,
  version = RIDE_STARTED_LATEST,
): { value: Buffer; contentType: string } {
  const type = rideStartedTypes[version];
  if (type === undefined) throw new RangeError(`no ride-started schema version ${version}`);
  return { value: type.toBuffer(event), contentType: ContentTypes.rideStartedAvro(version) };
}

/** Decodes ride-started Avro written with any known version into the reader's version (latest by default). */
export class RideStartedReader {
  private readonly resolvers = new Map<number, AvroResolver>();
  private readonly readerVersion: number;

  constructor(readerVersion = RIDE_STARTED_LATEST) {
    const reader = rideStartedTypes[readerVersion];
    if (reader === undefined) throw new RangeError(`no ride-started schema version ${readerVersion}`);
    this.readerVersion = readerVersion;
    for (const [version, writer] of Object.entries(rideStartedTypes)) {
      this.resolvers.set(Number(version), createResolver(reader, writer));
    }
  }

  read(value: Buffer, writerVersion: number): RideStartedV1 & Partial<RideStarted> {
    const resolver = this.resolvers.get(writerVersion);
    if (resolver === undefined) {
      throw new EventError(
        ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
        `unknown ride-started schema version ${writerVersion}`,
      );
    }
    try {
      return rideStartedTypes[this.readerVersion]!.fromBuffer(value, resolver, false);
    } catch (err) {
      throw new EventError(ErrorCodes.DECODE_FAILED, `Avro decode failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
}

const defaultReader = new RideStartedReader();

/** Turns a message body into a DecodedRide according to its content-type header (Avro or the course's JSON). */
export function decodeRide(value: Buffer | null, contentType: string | undefined): DecodedRide {
  if (value === null || value.length === 0)
    throw new EventError(ErrorCodes.DECODE_FAILED, 'empty message body');
  if (contentType === undefined || contentType === ContentTypes.json) return decodeJsonRide(value);
  const avro = parseAvroContentType(contentType);
  if (avro === undefined || avro.kind !== 'ride-started') {
    throw new EventError(
      ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
      `unsupported content-type ${JSON.stringify(contentType)}`,
    );
  }
  const event = defaultReader.read(value, avro.version);
  return {
    rideId: event.ride_id,
    rideIdJson: event.ride_id,
    pickupMs: event.pickup_datetime,
    puLocationId: event.PULocationID,
    doLocationId: event.DOLocationID,
    tripDistance: event.trip_distance,
  };
}

function decodeJsonRide(value: Buffer): DecodedRide {
  let body: unknown;
  try {
    body = JSON.parse(value.toString('utf8'));
  } catch (err) {
    throw new EventError(
      ErrorCodes.DECODE_FAILED,
      'body is neither JSON nor tagged Avro (no content-type header)',
      {
        cause: err,
      },
    );
  }
  // The course's event: {"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": 256}
  if (!isRecord(body) || !isRecord(body.ride)) {
    throw new EventError(ErrorCodes.INVALID_RIDE, 'JSON event must be an object with a "ride" object');
  }
  const ride = body.ride;
  const rideId = body.ride_id;
  if (typeof rideId !== 'string' && typeof rideId !== 'number') {
    throw new EventError(ErrorCodes.INVALID_RIDE, 'JSON event is missing "ride_id" (string or number)');
  }
  for (const field of ['PULocationID', 'DOLocationID', 'trip_distance'] as const) {
    if (typeof ride[field] !== 'number') {
      throw new EventError(ErrorCodes.INVALID_RIDE, `JSON event field ride.${field} must be a number`);
    }
  }
  return {
    rideId: String(rideId),
    rideIdJson: rideId,
    pickupMs: parseJsonTime(ride.pickup_datetime ?? body.pickup_datetime),
    puLocationId: ride.PULocationID as number,
    doLocationId: ride.DOLocationID as number,
    tripDistance: ride.trip_distance as number,
  };
}

/** Accepts epoch milliseconds or an ISO-8601 instant; anything else given is NaN (the scorer rejects it). */
function parseJsonTime(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') return Date.parse(raw);
  return Number.NaN;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type PredictionFormat = 'avro' | 'json';

/** Encodes a prediction: our Avro record, or the course's JSON shape {model, version, prediction: {...}}. */
export function encodePrediction(
  prediction: RidePrediction,
  format: PredictionFormat,
  rideIdJson: string | number = prediction.ride_id,
): { value: Buffer; contentType: string } {
  if (format === 'json') {
    const body = {
      model: prediction.model,
      version: prediction.version,
      prediction: { ride_duration: prediction.ride_duration, ride_id: rideIdJson },
      event_time: prediction.event_time,
      scored_at: prediction.scored_at,
    };
    return { value: Buffer.from(JSON.stringify(body)), contentType: ContentTypes.json };
  }
  return {
    value: ridePredictionTypes[RIDE_PREDICTION_LATEST]!.toBuffer(prediction),
    contentType: ContentTypes.ridePredictionAvro(RIDE_PREDICTION_LATEST),
  };
}

/** Reads a prediction message in either format back into the Avro record shape (for downstream readers and tests). */
export function decodePrediction(value: Buffer, contentType: string | undefined): RidePrediction {
  if (contentType === ContentTypes.json) {
    const body = JSON.parse(value.toString('utf8'));
    return {
      ride_id: String(body.prediction.ride_id),
      ride_duration: body.prediction.ride_duration,
      model: body.model,
      version: body.version,
      event_time: body.event_time,
      scored_at: body.scored_at,
    };
  }
  const avro = contentType === undefined ? undefined : parseAvroContentType(contentType);
  const type = avro?.kind === 'ride-prediction' ? ridePredictionTypes[avro.version] : undefined;
  if (type === undefined) {
    throw new EventError(
      ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
      `unsupported content-type ${JSON.stringify(contentType)}`,
    );
  }
  return type.fromBuffer(value);
}
