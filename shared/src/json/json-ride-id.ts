import { ErrorCodes, EventError } from '../errors.js';

/** A ride id read from JSON: the id itself, and its JSON text for echoing it back exactly as it came. */
export interface JsonRideId {
  rideId: string;
  /** A string id quoted, a number id as its digits (however many: never passed through a double). */
  jsonText: string;
}

// JSON's number syntax without fraction or exponent (RFC 8259 §6).
const JSON_INTEGER = /^-?(0|[1-9][0-9]*)$/;

/**
 * A JSON ride id: a string as it is, or a number written as an integer, taken digit for digit from its source text
 * (from jsonMemberSources; `value` is JSON.parse's reading of it). A number written with a fraction or an
 * exponent (256.5, 1e3) is refused rather than rounded or rewritten, as is any other type: which ride it names
 * would be a guess.
 */
export function readJsonRideId(value: unknown, source: string | undefined, field = 'ride_id'): JsonRideId {
  if (typeof value === 'string') return { rideId: value, jsonText: JSON.stringify(value) };
  if (typeof value === 'number' && source !== undefined && JSON_INTEGER.test(source)) {
    return { rideId: source, jsonText: source };
  }
  throw new EventError(
    ErrorCodes.INVALID_RIDE_ID,
    `${field} must be a string or an integer without fraction or exponent, got ${source ?? JSON.stringify(value)}`,
    { details: { field } },
  );
}
