import { MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS } from '../contracts/event-time-bounds.js';
import { ErrorCodes, EventError } from '../errors.js';
import { jsonMemberSources } from '../json/json-member-sources.js';
import { readJsonRideId } from '../json/json-ride-id.js';
import { RIDE_COMPLETED_LATEST, rideCompletedSchemas } from './avro-types.js';
import type { RideCompleted } from './ride-events.js';
import { SchemaCatalog } from './schema-catalog.js';
import { encodeFramed, looksFramed } from './wire-format.js';

/** Encodes a ride-completed event in the Confluent wire format (schema id: the fixed one of `version`, or a registry's). */
export function encodeRideCompleted(
  event: RideCompleted,
  schemaId?: number,
  version = RIDE_COMPLETED_LATEST,
): Buffer {
  const schema = rideCompletedSchemas[version];
  if (schema === undefined) throw new RangeError(`no ride-completed schema version ${version}`);
  return encodeFramed(schema.type, schemaId ?? schema.fixedId, event);
}

/**
 * The JSON completion, in the course's style (snake_case TLC names, `ride_id` at the top level, times as ISO-8601
 * instants like the ride event's pickup): {"ride_id": "…", "dropoff_datetime": "2021-02-01T13:20:00.000Z"}.
 */
export function encodeRideCompletedJson(event: RideCompleted): Buffer {
  return Buffer.from(
    JSON.stringify({
      ride_id: event.ride_id,
      dropoff_datetime: new Date(event.dropoff_datetime).toISOString(),
    }),
  );
}

const fixedCatalog = SchemaCatalog.fixed();

/**
 * Turns a completion's message body into the Avro record shape, telling framed Avro and JSON apart by the first
 * byte as ride events are. Completions have no scorer behind them to check them, so the drop-off time is checked
 * here: an EventError with a dead-letter code says what is wrong.
 */
export function decodeRideCompleted(
  value: Buffer | null,
  catalog: SchemaCatalog = fixedCatalog,
): RideCompleted {
  if (value === null || value.length === 0)
    throw new EventError(ErrorCodes.DECODE_FAILED, 'empty message body');
  if (!looksFramed(value)) return decodeJsonCompleted(value);
  const event = catalog.decode('ride-completed', value) as RideCompleted;
  checkTime(event.dropoff_datetime, String(event.dropoff_datetime));
  return event;
}

function decodeJsonCompleted(value: Buffer): RideCompleted {
  const text = value.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new EventError(ErrorCodes.DECODE_FAILED, 'body is neither JSON nor framed Avro', { cause: err });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EventError(ErrorCodes.INVALID_RIDE, 'JSON completion must be an object');
  }
  const fields = body as Record<string, unknown>;
  if (fields.ride_id === undefined) {
    throw new EventError(ErrorCodes.INVALID_RIDE, 'JSON completion is missing "ride_id" (string or integer)');
  }
  if (fields.dropoff_datetime === undefined || fields.dropoff_datetime === null) {
    throw new EventError(ErrorCodes.INVALID_RIDE, 'JSON completion is missing "dropoff_datetime"');
  }
  // A number id's digits come from the text (JSON.parse rounds integers beyond 2^53), as for ride events.
  const source =
    typeof fields.ride_id === 'number' ? jsonMemberSources(text, 'ride_id').get('/ride_id') : undefined;
  const rideId = readJsonRideId(fields.ride_id, source).rideId;
  const dropoffMs = parseJsonTime(fields.dropoff_datetime);
  checkTime(dropoffMs, JSON.stringify(fields.dropoff_datetime));
  return { ride_id: rideId, dropoff_datetime: dropoffMs };
}

/** Epoch milliseconds or an ISO-8601 instant, as a ride event's pickup time; anything else is NaN (refused). */
function parseJsonTime(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') return Date.parse(raw);
  return Number.NaN;
}

function checkTime(ms: number, given: string): void {
  if (!Number.isInteger(ms) || ms < MIN_EVENT_TIME_MS || ms > MAX_EVENT_TIME_MS) {
    throw new EventError(
      ErrorCodes.INVALID_TIME,
      `dropoff_datetime ${given} is not an instant between 2000 and 2100 (epoch milliseconds or ISO-8601)`,
    );
  }
}
