import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createResolver,
  parseAvroSchema,
  rideCompletedSchemas,
  rideCompletedTypes,
} from '../../src/avro/avro-types.js';
import { encodePrediction, encodeRideStarted } from '../../src/avro/ride-codec.js';
import {
  decodeRideCompleted,
  encodeRideCompleted,
  encodeRideCompletedJson,
} from '../../src/avro/ride-completed-codec.js';
import type { RideCompleted } from '../../src/avro/ride-events.js';
import { SchemaCatalog } from '../../src/avro/schema-catalog.js';
import type { SchemaRegistryClient } from '../../src/avro/schema-registry-client.js';
import { encodeFramed } from '../../src/avro/wire-format.js';
import { ErrorCodes, EventError } from '../../src/errors.js';

const completed: RideCompleted = {
  ride_id: 'green_tripdata_2021-02:17',
  dropoff_datetime: Date.UTC(2021, 1, 3, 13, 20),
};
const ids = JSON.parse(readFileSync(new URL('../../src/avro/schema-ids.json', import.meta.url), 'utf8')).ids;
const avsc = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../src/avro/${file}`, import.meta.url), 'utf8'));

/** A JSON completion with its ride id written as the given JSON text (digits are not parsed first). */
const jsonCompletion = (rideIdText: string, dropoff = '"2021-02-03T13:20:00.000Z"') =>
  Buffer.from(`{"ride_id": ${rideIdText}, "dropoff_datetime": ${dropoff}}`);

describe('ride-completed contract', () => {
  it('keeps the TypeScript interface and the .avsc field list in step', () => {
    expect(avsc('ride-completed.v1.avsc').fields.map((f: { name: string }) => f.name)).toEqual(
      Object.keys(completed),
    );
  });

  it('carries the ride id and the drop-off time as ride-started carries the ride id and the pickup time', () => {
    const field = (file: string, name: string) =>
      avsc(file).fields.find((f: { name: string }) => f.name === name).type;
    expect(field('ride-completed.v1.avsc', 'ride_id')).toEqual(field('ride-started.v2.avsc', 'ride_id'));
    expect(field('ride-completed.v1.avsc', 'dropoff_datetime')).toEqual(
      field('ride-started.v2.avsc', 'pickup_datetime'),
    );
    expect(avsc('ride-completed.v1.avsc')).toMatchObject({
      name: 'RideCompleted',
      namespace: 'nyc.taxi.rides',
    });
  });

  it('holds every .avsc family to the evolution rule: a version only adds fields, each with a default', () => {
    const families = new Map<string, number[]>();
    for (const file of Object.keys(ids)) {
      const [, family, version] = /^(.+)\.v(\d+)\.avsc$/.exec(file)!;
      families.set(family!, [...(families.get(family!) ?? []), Number(version)]);
    }
    expect([...families.keys()].sort()).toEqual(['ride-completed', 'ride-prediction', 'ride-started']);
    for (const [family, versions] of families) {
      versions.sort((a, b) => a - b);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
      for (const v of versions.slice(1)) {
        const old = avsc(`${family}.v${v - 1}.avsc`).fields as Array<{ name: string; type: unknown }>;
        const next = avsc(`${family}.v${v}.avsc`).fields as Array<{ name: string; type: unknown }>;
        for (const field of old) expect(next.find((f) => f.name === field.name)?.type).toEqual(field.type);
        const added = next.filter((f) => !old.some((o) => o.name === f.name));
        for (const field of added) expect(field).toHaveProperty('default');
      }
    }
  });

  it('reads a later version written by the rule (an optional field added) and is read by it', async () => {
    const v1 = avsc('ride-completed.v1.avsc');
    const v2Text = JSON.stringify({
      ...v1,
      fields: [...v1.fields, { name: 'fare', type: ['null', 'double'], default: null }],
    });
    const v2 = parseAvroSchema(v2Text);
    const registry = {
      schemaById: async (id: number) => (id === 2 ? v2Text : undefined),
    } as unknown as SchemaRegistryClient;
    const catalog = await SchemaCatalog.registered(registry, {});
    const fromV2 = encodeFramed(v2, 2, { ...completed, fare: 12.5 });
    await catalog.learn([fromV2]);
    expect(decodeRideCompleted(fromV2, catalog)).toEqual(completed);
    const v1Body = rideCompletedTypes[1]!.toBuffer(completed);
    expect(v2.fromBuffer(v1Body, createResolver(v2, rideCompletedTypes[1]!))).toEqual({
      ...completed,
      fare: null,
    });
  });

  it('frames a completion as magic byte 0, its fixed schema id 1301, then the plain Avro body', () => {
    const value = encodeRideCompleted(completed);
    expect(value[0]).toBe(0);
    expect(value.readUInt32BE(1)).toBe(1301);
    expect(ids['ride-completed.v1.avsc']).toBe(1301);
    expect(rideCompletedSchemas[1]!.fixedId).toBe(1301);
    expect(value.subarray(5).equals(rideCompletedTypes[1]!.toBuffer(completed))).toBe(true);
    expect(encodeRideCompleted(completed, 0x01020304).subarray(0, 5)).toEqual(Buffer.from([0, 1, 2, 3, 4]));
  });

  it('round-trips through Avro and through JSON into the same record', () => {
    expect(decodeRideCompleted(encodeRideCompleted(completed))).toEqual(completed);
    const json = encodeRideCompletedJson(completed);
    expect(JSON.parse(json.toString())).toEqual({
      ride_id: 'green_tripdata_2021-02:17',
      dropoff_datetime: '2021-02-03T13:20:00.000Z',
    });
    expect(decodeRideCompleted(json)).toEqual(completed);
  });

  it('reads a JSON drop-off time given as epoch milliseconds too', () => {
    expect(decodeRideCompleted(jsonCompletion('"r"', String(completed.dropoff_datetime)))).toEqual({
      ride_id: 'r',
      dropoff_datetime: completed.dropoff_datetime,
    });
  });

  it.each([
    '9007199254740991', // 2^53 - 1
    '9007199254740993', // 2^53 + 1, which JSON.parse reads as 2^53
    '123456789012345678901234567890',
    '"9007199254740993"',
    '0',
  ])('carries the JSON ride id %s digit for digit', (text) => {
    expect(decodeRideCompleted(jsonCompletion(text)).ride_id).toBe(text.replaceAll('"', ''));
  });

  it('registers under <topic>-value with a registry and reads the id it gave', async () => {
    const registered: string[] = [];
    const registry = {
      async register(subject: string) {
        registered.push(subject);
        return 41;
      },
    } as unknown as SchemaRegistryClient;
    const catalog = await SchemaCatalog.registered(registry, { 'ride-completed': ['done'] });
    expect(registered).toEqual(['done-value']);
    expect(catalog.writeId('ride-completed', 'done')).toBe(41);
    expect(decodeRideCompleted(encodeRideCompleted(completed, 41), catalog)).toEqual(completed);
    expect(SchemaCatalog.fixed().writeId('ride-completed', 'any')).toBe(1301);
  });

  const ride = {
    ride_id: 'r-1',
    pickup_datetime: 1,
    PULocationID: 1,
    DOLocationID: 2,
    trip_distance: 1,
    vendor_id: null,
    passenger_count: null,
  };
  const prediction = {
    ride_id: 'r-1',
    ride_duration: 1,
    model: 'm',
    version: 'v',
    event_time: 1,
    scored_at: 2,
  };
  it.each([
    { name: 'an empty body', value: Buffer.alloc(0), code: ErrorCodes.DECODE_FAILED },
    { name: 'random bytes', value: Buffer.from([0xde, 0xad, 0xbe, 0xef]), code: ErrorCodes.DECODE_FAILED },
    {
      name: 'framed Avro cut inside its body',
      value: encodeRideCompleted(completed).subarray(0, 8),
      code: ErrorCodes.DECODE_FAILED,
    },
    {
      name: 'framed Avro with trailing bytes',
      value: Buffer.concat([encodeRideCompleted(completed), Buffer.from('xx')]),
      code: ErrorCodes.DECODE_FAILED,
    },
    {
      name: 'a schema id none of ours',
      value: encodeRideCompleted(completed, 77),
      code: ErrorCodes.UNKNOWN_SCHEMA,
    },
    { name: 'a ride-started event', value: encodeRideStarted(ride), code: ErrorCodes.UNKNOWN_SCHEMA },
    {
      name: 'a prediction',
      value: encodePrediction(prediction, { format: 'avro' }),
      code: ErrorCodes.UNKNOWN_SCHEMA,
    },
    {
      name: 'framed Avro with a drop-off before 2000',
      value: encodeRideCompleted({ ...completed, dropoff_datetime: 0 }),
      code: ErrorCodes.INVALID_TIME,
    },
    { name: 'a JSON array', value: Buffer.from('[1]'), code: ErrorCodes.INVALID_RIDE },
    {
      name: 'JSON without ride_id',
      value: Buffer.from('{"dropoff_datetime":"2021-02-03T13:20:00Z"}'),
      code: ErrorCodes.INVALID_RIDE,
    },
    {
      name: 'JSON without dropoff_datetime',
      value: Buffer.from('{"ride_id":"r"}'),
      code: ErrorCodes.INVALID_RIDE,
    },
    { name: 'JSON ride_id 256.5', value: jsonCompletion('256.5'), code: ErrorCodes.INVALID_RIDE_ID },
    { name: 'JSON ride_id true', value: jsonCompletion('true'), code: ErrorCodes.INVALID_RIDE_ID },
    {
      name: 'a JSON drop-off that is no time',
      value: jsonCompletion('"r"', '"yesterday"'),
      code: ErrorCodes.INVALID_TIME,
    },
    {
      name: 'a JSON drop-off after 2100-01-01, the bound the scorer puts on pickups',
      value: jsonCompletion('"r"', '"2100-01-01T00:00:00.001Z"'),
      code: ErrorCodes.INVALID_TIME,
    },
    {
      name: 'a JSON drop-off with a fraction of a ms',
      value: jsonCompletion('"r"', '1612358400000.5'),
      code: ErrorCodes.INVALID_TIME,
    },
  ])('refuses $name with $code', ({ value, code }) => {
    let thrown: unknown;
    try {
      decodeRideCompleted(value);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(EventError);
    expect(thrown).toMatchObject({ code });
  });

  it('names the field and the value in the message of a bad drop-off time', () => {
    expect(() => decodeRideCompleted(jsonCompletion('"r"', '"yesterday"'))).toThrow(
      'dropoff_datetime "yesterday" is not an instant between 2000 and 2100',
    );
  });

  it('refuses to encode a drop-off that is not an instant, as Avro and as JSON', () => {
    expect(() => encodeRideCompleted({ ...completed, dropoff_datetime: Number.NaN })).toThrow();
    expect(() => encodeRideCompletedJson({ ...completed, dropoff_datetime: Number.NaN })).toThrow(RangeError);
  });
});
