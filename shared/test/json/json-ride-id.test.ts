import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.js';
import { readJsonRideId } from '../../src/json/json-ride-id.js';

// The ride id as it would arrive: JSON.parse's reading of the source text, and the text itself.
const read = (source: string) => readJsonRideId(JSON.parse(source), source);

describe('readJsonRideId', () => {
  it.each([
    '9007199254740991', // 2^53 - 1, the largest safe integer
    '9007199254740992', // 2^53
    '9007199254740993', // 2^53 + 1: JSON.parse reads it as 2^53
    '123456789012345678901234567890',
    '-9007199254740993',
    '0',
    '-1',
    '256',
  ])('keeps the integer %s digit for digit', (digits) => {
    expect(read(digits)).toEqual({ rideId: digits, jsonText: digits });
  });

  it.each(['"9007199254740993"', '"r-1"', '""', '"ünï\\"code"'])(
    'keeps the string id %s as it is',
    (source) => {
      const id = JSON.parse(source) as string;
      expect(read(source)).toEqual({ rideId: id, jsonText: JSON.stringify(id) });
    },
  );

  it.each(['256.5', '1e3', '1E+3', '-0.5', '1.0', '9007199254740993.0', 'true', 'null', '[1]', '{"id": 1}'])(
    'refuses %s with RIDE_INVALID_RIDE_ID',
    (source) => {
      expect(() => read(source)).toThrowError(
        expect.objectContaining({
          code: ErrorCodes.INVALID_RIDE_ID,
          message: expect.stringContaining(source),
        }),
      );
    },
  );
});
