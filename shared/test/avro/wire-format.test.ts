import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rideStartedSchemas, rideStartedTypes } from '../../src/avro/avro-types.js';
import { decodeRide, encodePrediction, encodeRideStarted } from '../../src/avro/ride-codec.js';
import { encodeFramed, framedSchemaId, looksFramed } from '../../src/avro/wire-format.js';

const ride = {
  ride_id: 'r-1',
  pickup_datetime: Date.UTC(2021, 1, 3, 13),
  PULocationID: 130,
  DOLocationID: 205,
  trip_distance: 3.66,
  vendor_id: null,
  passenger_count: null,
};
const ids = JSON.parse(readFileSync(new URL('../../src/avro/schema-ids.json', import.meta.url), 'utf8')).ids;

describe('Confluent wire format', () => {
  it('frames a ride as magic byte 0, the 4-byte big-endian schema id, then the plain Avro body', () => {
    const value = encodeRideStarted(ride);
    expect(value[0]).toBe(0);
    expect(value.readUInt32BE(1)).toBe(ids['ride-started.v2.avsc']);
    expect(value.subarray(5).equals(rideStartedTypes[2]!.toBuffer(ride))).toBe(true);
    expect(framedSchemaId(value)).toBe(ids['ride-started.v2.avsc']);
  });

  it('writes the id it is given (a registry id) and the fixed id of an older version', () => {
    expect(encodeRideStarted(ride, 0x01020304).subarray(0, 5)).toEqual(Buffer.from([0, 1, 2, 3, 4]));
    expect(framedSchemaId(encodeRideStarted(ride, undefined, 1))).toBe(ids['ride-started.v1.avsc']);
    // A v1 writer is read into the v2 reader: its new optional fields take their defaults.
    expect(decodeRide(encodeRideStarted(ride, undefined, 1), undefined)).toMatchObject({ rideId: 'r-1' });
  });

  it('declares one distinct fixed id per .avsc file', () => {
    const avsc = readdirSync(new URL('../../src/avro/', import.meta.url)).filter((f) => f.endsWith('.avsc'));
    expect(Object.keys(ids).sort()).toEqual(avsc.sort());
    expect(new Set(Object.values(ids)).size).toBe(avsc.length);
    expect(rideStartedSchemas[2]!.fixedId).toBe(ids['ride-started.v2.avsc']);
  });

  it('grows its scratch buffer for a value larger than it', () => {
    const long = { ...ride, ride_id: 'x'.repeat(200_000) };
    const value = encodeRideStarted(long);
    expect(value.length).toBe(5 + rideStartedTypes[2]!.toBuffer(long).length);
    expect(decodeRide(value, undefined).rideId).toBe(long.ride_id);
  });

  it('tells framed values from JSON by the first byte', () => {
    expect(looksFramed(encodePrediction(predictionOf('1'), { format: 'avro' }))).toBe(true);
    expect(looksFramed(encodePrediction(predictionOf('1'), { format: 'json' }))).toBe(false);
    expect(looksFramed(Buffer.alloc(0))).toBe(false);
    expect(framedSchemaId(Buffer.from([0, 0, 1]))).toBeUndefined();
  });

  it('fails on a value the type cannot encode, as toBuffer does', () => {
    expect(() => encodeFramed(rideStartedTypes[2]!, 1, { ...ride, PULocationID: 'x' })).toThrow();
  });
});

function predictionOf(rideId: string) {
  return { ride_id: rideId, ride_duration: 1, model: 'm', version: 'v', event_time: 1, scored_at: 2 };
}
