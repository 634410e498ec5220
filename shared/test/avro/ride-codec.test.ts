import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rideStartedTypes } from '../../src/avro/avro-types.js';
import {
  decodePrediction,
  decodeRide,
  encodePrediction,
  encodeRideStarted,
  encodeRideStartedTagged,
  RideStartedReader,
} from '../../src/avro/ride-codec.js';
import type { RidePrediction, RideStarted, RideStartedV1 } from '../../src/avro/ride-events.js';
import { ContentTypes } from '../../src/contracts/headers.js';
import { ErrorCodes } from '../../src/errors.js';

const v1: RideStartedV1 = {
  ride_id: 'r-1',
  pickup_datetime: Date.UTC(2021, 1, 3, 13),
  PULocationID: 130,
  DOLocationID: 205,
  trip_distance: 3.66,
};
const v2: RideStarted = { ...v1, vendor_id: 2, passenger_count: 1 };

/** The course's JSON event with its ride id written as the given JSON text (digits are not parsed first). */
const jsonEvent = (rideIdText: string) =>
  Buffer.from(
    `{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": ${rideIdText}}`,
  );
const prediction: RidePrediction = {
  ride_id: '',
  ride_duration: 12.5,
  model: 'ride-duration',
  version: '1.0.0',
  event_time: 1,
  scored_at: 2,
};

describe('Avro contracts', () => {
  it('keeps the TypeScript interfaces and the .avsc field lists in step', () => {
    const fields = (file: string) =>
      JSON.parse(readFileSync(new URL(`../../src/avro/${file}`, import.meta.url), 'utf8')).fields.map(
        (f: { name: string }) => f.name,
      );
    expect(fields('ride-started.v1.avsc')).toEqual(Object.keys(v1));
    expect(fields('ride-started.v2.avsc')).toEqual(Object.keys(v2));
    const prediction: RidePrediction = {
      ride_id: 'r',
      ride_duration: 1,
      model: 'm',
      version: 'v',
      event_time: 1,
      scored_at: 2,
    };
    expect(fields('ride-prediction.v1.avsc')).toEqual(Object.keys(prediction));
  });

  it('follows the evolution rule: every field added after v1 is optional with a default', () => {
    const [old, next] = ['ride-started.v1.avsc', 'ride-started.v2.avsc'].map(
      (file) =>
        JSON.parse(readFileSync(new URL(`../../src/avro/${file}`, import.meta.url), 'utf8')).fields as Array<{
          name: string;
        }>,
    );
    const added = next!.filter((f) => !old!.some((o) => o.name === f.name));
    expect(Object.keys(rideStartedTypes)).toEqual(['1', '2']);
    expect(added.length).toBeGreaterThan(0);
    for (const field of added) expect(field).toHaveProperty('default');
  });

  it('lets a v1 reader read events written with v2 (new fields dropped)', () => {
    const { value, contentType } = encodeRideStartedTagged(v2, 2);
    expect(contentType).toBe(ContentTypes.rideStartedAvro(2));
    expect(new RideStartedReader(1).read(value, 2)).toEqual(v1);
  });

  it('lets a v2 reader read events written with v1 (new fields take their defaults)', () => {
    const { value } = encodeRideStartedTagged(v1, 1);
    expect(new RideStartedReader(2).read(value, 1)).toEqual({
      ...v1,
      vendor_id: null,
      passenger_count: null,
    });
  });

  it('decodes framed Avro, tagged Avro and the course JSON event into the same ride', () => {
    const { value, contentType } = encodeRideStartedTagged(v2);
    const fromAvro = decodeRide(value, contentType);
    expect(decodeRide(encodeRideStarted(v2), undefined)).toEqual(fromAvro);
    const json = Buffer.from(
      JSON.stringify({ ride: { PULocationID: 130, DOLocationID: 205, trip_distance: 3.66 }, ride_id: 256 }),
    );
    const fromJson = decodeRide(json, ContentTypes.json);
    expect(fromAvro).toMatchObject({
      rideId: 'r-1',
      puLocationId: 130,
      doLocationId: 205,
      tripDistance: 3.66,
      pickupMs: v1.pickup_datetime,
    });
    expect(fromJson).toEqual({
      rideId: '256',
      rideIdJsonText: '256',
      puLocationId: 130,
      doLocationId: 205,
      tripDistance: 3.66,
      pickupMs: undefined,
    });
    expect(decodeRide(json, undefined).rideId).toBe('256');
  });

  it.each([
    {
      name: 'random bytes, no header',
      value: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
      type: undefined,
      code: ErrorCodes.DECODE_FAILED,
    },
    {
      name: 'framed Avro cut inside its header',
      value: encodeRideStarted(v2).subarray(0, 3),
      type: undefined,
      code: ErrorCodes.DECODE_FAILED,
    },
    {
      name: 'framed Avro cut inside its body',
      value: encodeRideStarted(v2).subarray(0, 9),
      type: undefined,
      code: ErrorCodes.DECODE_FAILED,
    },
    {
      name: 'framed Avro with trailing bytes',
      value: Buffer.concat([encodeRideStarted(v2), Buffer.from('xx')]),
      type: undefined,
      code: ErrorCodes.DECODE_FAILED,
    },
    {
      name: 'framed Avro with a schema id none of ours',
      value: encodeRideStarted(v2, 77),
      type: undefined,
      code: ErrorCodes.UNKNOWN_SCHEMA,
    },
    {
      name: 'framed Avro whose id is a prediction schema',
      value: encodeRideStarted(v2, 1201),
      type: undefined,
      code: ErrorCodes.UNKNOWN_SCHEMA,
    },
    {
      name: 'truncated Avro',
      value: encodeRideStartedTagged(v2).value.subarray(0, 5),
      type: ContentTypes.rideStartedAvro(2),
      code: ErrorCodes.DECODE_FAILED,
    },
    {
      name: 'Avro with trailing bytes',
      value: Buffer.concat([encodeRideStartedTagged(v2).value, Buffer.from('xx')]),
      type: ContentTypes.rideStartedAvro(2),
      code: ErrorCodes.DECODE_FAILED,
    },
    {
      name: 'unknown schema version',
      value: encodeRideStartedTagged(v2).value,
      type: ContentTypes.rideStartedAvro(9),
      code: ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
    },
    {
      name: 'foreign content type',
      value: Buffer.from('<xml/>'),
      type: 'text/xml',
      code: ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
    },
    {
      name: 'JSON missing a field',
      value: Buffer.from('{"ride":{"PULocationID":1,"DOLocationID":2},"ride_id":1}'),
      type: ContentTypes.json,
      code: ErrorCodes.INVALID_RIDE,
    },
    {
      name: 'JSON wrong type',
      value: Buffer.from('{"ride":{"PULocationID":"1","DOLocationID":2,"trip_distance":1},"ride_id":1}'),
      type: ContentTypes.json,
      code: ErrorCodes.INVALID_RIDE,
    },
    {
      name: 'JSON without ride_id',
      value: Buffer.from('{"ride":{"PULocationID":1,"DOLocationID":2,"trip_distance":1}}'),
      type: ContentTypes.json,
      code: ErrorCodes.INVALID_RIDE,
    },
    { name: 'empty body', value: Buffer.alloc(0), type: ContentTypes.json, code: ErrorCodes.DECODE_FAILED },
    ...['256.5', '1e3', '-0.5', 'true', 'null'].map((id) => ({
      name: `JSON with ride_id ${id}`,
      value: jsonEvent(id),
      type: ContentTypes.json,
      code: ErrorCodes.INVALID_RIDE_ID,
    })),
  ])('refuses $name with $code', ({ value, type, code }) => {
    expect(() => decodeRide(value, type)).toThrowError(expect.objectContaining({ code }));
  });

  it('encodes predictions as Avro or as the course JSON shape, both readable back', () => {
    const p: RidePrediction = {
      ride_id: '256',
      ride_duration: 12.5,
      model: 'ride-duration',
      version: '1.0.0',
      event_time: 1,
      scored_at: 2,
    };
    const avro = encodePrediction(p, { format: 'avro' });
    expect(decodePrediction(avro)).toEqual(p);
    const json = encodePrediction(p, { format: 'json', rideIdJsonText: '256' });
    expect(JSON.parse(json.toString())).toMatchObject({
      model: 'ride-duration',
      version: '1.0.0',
      prediction: { ride_duration: 12.5, ride_id: 256 },
    });
    expect(decodePrediction(json)).toEqual(p);
  });

  it.each([
    '9007199254740991', // 2^53 - 1
    '9007199254740992', // 2^53
    '9007199254740993', // 2^53 + 1, which JSON.parse reads as 2^53
    '123456789012345678901234567890',
    '-1',
    '0',
  ])('carries the JSON ride id %s digit for digit into the ride and the JSON prediction', (digits) => {
    const ride = decodeRide(jsonEvent(digits), ContentTypes.json);
    expect(ride.rideId).toBe(digits);
    const out = encodePrediction(
      { ...prediction, ride_id: ride.rideId },
      { format: 'json', rideIdJsonText: ride.rideIdJsonText },
    );
    const text = out.toString();
    expect(text).toContain(`"ride_id":${digits}}`);
    expect(JSON.parse(text).prediction.ride_id).toBe(Number(digits));
    expect(decodePrediction(out).ride_id).toBe(digits);
  });

  it('keeps a string ride id a string, even one of digits', () => {
    const ride = decodeRide(jsonEvent('"9007199254740993"'), ContentTypes.json);
    expect(ride).toMatchObject({ rideId: '9007199254740993', rideIdJsonText: '"9007199254740993"' });
    const out = encodePrediction(
      { ...prediction, ride_id: ride.rideId },
      { format: 'json', rideIdJsonText: ride.rideIdJsonText },
    );
    expect(JSON.parse(out.toString()).prediction.ride_id).toBe('9007199254740993');
  });

  it('writes the JSON prediction exactly as JSON.stringify would for an id that fits a double', () => {
    const p = { ...prediction, ride_duration: 0.1 + 0.2, ride_id: 'r"1' };
    const expected = {
      model: p.model,
      version: p.version,
      prediction: { ride_duration: p.ride_duration, ride_id: p.ride_id },
      event_time: p.event_time,
      scored_at: p.scored_at,
    };
    expect(encodePrediction(p, { format: 'json' }).toString()).toBe(JSON.stringify(expected));
    expect(encodePrediction(p, { format: 'json', rideIdJsonText: '256' }).toString()).toBe(
      JSON.stringify({ ...expected, prediction: { ...expected.prediction, ride_id: 256 } }),
    );
  });
});
