import { ContentTypes, parseAvroContentType } from '../contracts/headers.js';
import { ErrorCodes, EventError } from '../errors.js';
import { jsonMemberSources } from '../json/json-member-sources.js';
import { readJsonRideId } from '../json/json-ride-id.js';
import {
  type AvroResolver,
  createResolver,
  RIDE_PREDICTION_LATEST,
  RIDE_STARTED_LATEST,
  ridePredictionSchemas,
  ridePredictionTypes,
  rideStartedSchemas,
  rideStartedTypes,
} from './avro-types.js';
import type { RidePrediction, RideStarted, RideStartedV1 } from './ride-events.js';
import { SchemaCatalog } from './schema-catalog.js';
import { encodeFramed, looksFramed } from './wire-format.js';

/**
 * A ride event as the consumer sees it after decoding, whatever the wire format. Field values are not yet
 * validated (the model scorer does that); `pickupMs` is undefined when the event did not say.
 */
export interface DecodedRide {
  rideId: string;
  /** The ride id as JSON text (a number's digits as sent, a string quoted), echoed in JSON predictions. */
  rideIdJsonText: string;
  pickupMs: number | undefined;
  puLocationId: number;
  doLocationId: number;
  tripDistance: number;
}

/** Encodes a ride-started event in the Confluent wire format (schema id: the fixed one of `version`, or a registry's). */
export function encodeRideStarted(
  event: RideStarted | RideStartedV1,
  schemaId?: number,
  version = RIDE_STARTED_LATEST,
): Buffer {
  const schema = rideStartedSchemas[version];
  if (schema === undefined) throw new RangeError(`no ride-started schema version ${version}`);
  return encodeFramed(schema.type, schemaId ?? schema.fixedId, event);
}

/**
 * The earlier contract, still read: a bare Avro body tagged by a content-type header naming its schema version.
 * For upstream services that have not moved to the wire format yet, and for the tests that keep it readable.
 */
export function encodeRideStartedTagged(
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

const fixedCatalog = SchemaCatalog.fixed();

/**
 * Turns a message body into a DecodedRide. With no content-type header the body says what it is: a zero byte starts
 * the Confluent wire format, anything else is the course's JSON. A content-type header (the earlier contract) names
 * JSON or a tagged Avro schema version.
 */
export function decodeRide(
  value: Buffer | null,
  contentType: string | undefined,
  catalog: SchemaCatalog = fixedCatalog,
): DecodedRide {
  if (value === null || value.length === 0)
    throw new EventError(ErrorCodes.DECODE_FAILED, 'empty message body');
  if (contentType === ContentTypes.json || (contentType === undefined && !looksFramed(value)))
    return decodeJsonRide(value);
  const event =
    contentType === undefined
      ? (catalog.decode('ride-started', value) as RideStartedV1 & Partial<RideStarted>)
      : defaultReader.read(value, taggedVersion(contentType, 'ride-started'));
  return {
    rideId: event.ride_id,
    rideIdJsonText: JSON.stringify(event.ride_id),
    pickupMs: event.pickup_datetime,
    puLocationId: event.PULocationID,
    doLocationId: event.DOLocationID,
    tripDistance: event.trip_distance,
  };
}

/** The schema version a tagged-Avro content type names for `kind`; any other content type is unsupported. */
function taggedVersion(contentType: string, kind: string): number {
  const avro = parseAvroContentType(contentType);
  if (avro === undefined || avro.kind !== kind) {
    throw new EventError(
      ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
      `unsupported content-type ${JSON.stringify(contentType)}`,
    );
  }
  return avro.version;
}

function decodeJsonRide(value: Buffer): DecodedRide {
  const text = value.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new EventError(
      ErrorCodes.DECODE_FAILED,
      'body is neither JSON nor framed Avro (no content-type header)',
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
  if (body.ride_id === undefined) {
    throw new EventError(ErrorCodes.INVALID_RIDE, 'JSON event is missing "ride_id" (string or integer)');
  }
  // A number id's digits come from the text (JSON.parse rounds integers beyond 2^53); a string needs no text.
  const source =
    typeof body.ride_id === 'number' ? jsonMemberSources(text, 'ride_id').get('/ride_id') : undefined;
  const rideId = readJsonRideId(body.ride_id, source);
  for (const field of ['PULocationID', 'DOLocationID', 'trip_distance'] as const) {
    if (typeof ride[field] !== 'number') {
      throw new EventError(ErrorCodes.INVALID_RIDE, `JSON event field ride.${field} must be a number`);
    }
  }
  return {
    rideId: rideId.rideId,
    rideIdJsonText: rideId.jsonText,
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

export interface PredictionEncoding {
  format: PredictionFormat;
  /** The ride id as JSON text (see DecodedRide), for JSON predictions; defaults to the id as a JSON string. */
  rideIdJsonText?: string;
  /** The schema id framed Avro predictions carry: a registry's, or the fixed one by default. */
  schemaId?: number;
}

/** Encodes a prediction: our Avro record in the wire format, or the course's JSON {model, version, prediction}. */
export function encodePrediction(prediction: RidePrediction, encoding: PredictionEncoding): Buffer {
  if (encoding.format === 'json') {
    // Written by hand so the ride id goes in as its own JSON text: a number id can have more digits than a double.
    const s = JSON.stringify;
    const rideId = encoding.rideIdJsonText ?? s(prediction.ride_id);
    const body =
      `{"model":${s(prediction.model)},"version":${s(prediction.version)},` +
      `"prediction":{"ride_duration":${s(prediction.ride_duration)},"ride_id":${rideId}},` +
      `"event_time":${s(prediction.event_time)},"scored_at":${s(prediction.scored_at)}}`;
    return Buffer.from(body);
  }
  const schema = ridePredictionSchemas[RIDE_PREDICTION_LATEST]!;
  return encodeFramed(schema.type, encoding.schemaId ?? schema.fixedId, prediction);
}

/** The earlier contract for a prediction: a bare Avro body (or JSON) and the content type that names it. */
export function encodePredictionTagged(
  prediction: RidePrediction,
  encoding: PredictionEncoding,
): { value: Buffer; contentType: string } {
  if (encoding.format === 'json')
    return { value: encodePrediction(prediction, encoding), contentType: ContentTypes.json };
  return {
    value: ridePredictionTypes[RIDE_PREDICTION_LATEST]!.toBuffer(prediction),
    contentType: ContentTypes.ridePredictionAvro(RIDE_PREDICTION_LATEST),
  };
}

/**
 * Reads a prediction back into the Avro record shape (for downstream readers and tests): framed Avro or JSON told
 * apart by the body, or the earlier tagged Avro by its content-type header.
 */
export function decodePrediction(
  value: Buffer,
  contentType?: string,
  catalog: SchemaCatalog = fixedCatalog,
): RidePrediction {
  if (contentType === ContentTypes.json || (contentType === undefined && !looksFramed(value))) {
    const text = value.toString('utf8');
    const body = JSON.parse(text);
    const source = jsonMemberSources(text, 'ride_id').get('/prediction/ride_id');
    return {
      ride_id: readJsonRideId(body.prediction.ride_id, source, 'prediction.ride_id').rideId,
      ride_duration: body.prediction.ride_duration,
      model: body.model,
      version: body.version,
      event_time: body.event_time,
      scored_at: body.scored_at,
    };
  }
  if (contentType === undefined) return catalog.decode('ride-prediction', value) as RidePrediction;
  const type = ridePredictionTypes[taggedVersion(contentType, 'ride-prediction')];
  if (type === undefined) {
    throw new EventError(
      ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
      `unsupported content-type ${JSON.stringify(contentType)}`,
    );
  }
  return type.fromBuffer(value);
}
