import { describe, expect, it } from 'vitest';
import { ridePredictionSchemas, rideStartedSchemas, rideStartedTypes } from '../../src/avro/avro-types.js';
import { decodeRide, encodeRideStarted } from '../../src/avro/ride-codec.js';
import { SchemaCatalog, valueSubject } from '../../src/avro/schema-catalog.js';
import type { SchemaRegistryClient } from '../../src/avro/schema-registry-client.js';
import { ErrorCodes, SchemaRegistryError } from '../../src/errors.js';

const ride = {
  ride_id: 'r-1',
  pickup_datetime: 1,
  PULocationID: 130,
  DOLocationID: 205,
  trip_distance: 3.66,
};

/** A registry in memory (a unit test's fake collaborator): global ids from 1, one per distinct schema text. */
function fakeRegistry(preloaded: Record<number, string> = {}) {
  const byId = new Map<number, string>(Object.entries(preloaded).map(([id, text]) => [Number(id), text]));
  const subjects = new Map<string, number>();
  const calls: string[] = [];
  let down = false;
  const registry = {
    async register(subject: string, schema: string) {
      calls.push(`register ${subject}`);
      let id = [...byId].find(([, text]) => text === schema)?.[0];
      if (id === undefined) {
        id = byId.size + 1;
        byId.set(id, schema);
      }
      subjects.set(subject, id);
      return id;
    },
    async schemaById(id: number) {
      calls.push(`get ${id}`);
      if (down) throw new SchemaRegistryError('registry down', { retriable: true });
      return byId.get(id);
    },
  };
  return {
    registry: registry as unknown as SchemaRegistryClient,
    subjects,
    calls,
    setDown: (value: boolean) => {
      down = value;
    },
  };
}

describe('SchemaCatalog', () => {
  it('writes the fixed ids and reads every one of our schemas without a registry', async () => {
    const catalog = SchemaCatalog.fixed();
    expect(catalog.writeId('ride-started', 'any')).toBe(rideStartedSchemas[2]!.fixedId);
    expect(catalog.writeId('ride-prediction', 'any')).toBe(ridePredictionSchemas[1]!.fixedId);
    await catalog.learn([encodeRideStarted(ride, 999)]); // nothing to learn from: no registry
    expect(decodeRide(encodeRideStarted(ride, undefined, 1), undefined, catalog).rideId).toBe('r-1');
    expect(() => decodeRide(encodeRideStarted(ride, 999), undefined, catalog)).toThrowError(
      expect.objectContaining({
        code: ErrorCodes.UNKNOWN_SCHEMA,
        message: expect.stringMatching(/999.*SCHEMA_REGISTRY_URL/),
      }),
    );
  });

  it('registers the latest schema under <topic>-value and writes the id the registry gave', async () => {
    const fake = fakeRegistry({ 1: '{"type":"string"}' });
    const catalog = await SchemaCatalog.registered(fake.registry, {
      'ride-prediction': ['preds', 'preds.shadow'],
    });
    expect([...fake.subjects]).toEqual([
      [valueSubject('preds'), 2],
      ['preds.shadow-value', 2],
    ]);
    expect(catalog.writeId('ride-prediction', 'preds')).toBe(2);
    expect(() => catalog.writeId('ride-prediction', 'other')).toThrow(/no ride-prediction schema registered/);
  });

  it('looks unknown ids up once, then decodes them synchronously; an id the registry lacks is dead-lettered', async () => {
    const v1Text = JSON.stringify(rideStartedTypes[1]!.schema());
    const fake = fakeRegistry({ 7: v1Text });
    const catalog = await SchemaCatalog.registered(fake.registry, {});
    const fromV1 = encodeRideStarted(ride, 7, 1);
    expect(() => decodeRide(fromV1, undefined, catalog)).toThrowError(
      expect.objectContaining({
        code: ErrorCodes.UNKNOWN_SCHEMA,
        message: expect.stringMatching(/not looked up/),
      }),
    );
    await catalog.learn([fromV1, fromV1, null, Buffer.from('{"json":1}'), encodeRideStarted(ride, 8)]);
    expect(fake.calls).toEqual(['get 7', 'get 8']);
    expect(decodeRide(fromV1, undefined, catalog)).toMatchObject({ rideId: 'r-1', puLocationId: 130 });
    expect(() => decodeRide(encodeRideStarted(ride, 8), undefined, catalog)).toThrowError(
      expect.objectContaining({
        code: ErrorCodes.UNKNOWN_SCHEMA,
        message: expect.stringMatching(/not in the schema registry/),
      }),
    );
    await catalog.learn([fromV1, encodeRideStarted(ride, 8)]);
    expect(fake.calls).toEqual(['get 7', 'get 8']);
  });

  it('refuses a registered schema that cannot be read as a ride, with its reason', async () => {
    const fake = fakeRegistry({
      3: '{"type":"record","name":"Other","fields":[{"name":"a","type":"int"}]}',
      4: 'not json',
    });
    const catalog = await SchemaCatalog.registered(fake.registry, {});
    const values = [encodeRideStarted(ride, 3), encodeRideStarted(ride, 4)];
    await catalog.learn(values);
    expect(() => decodeRide(values[0]!, undefined, catalog)).toThrowError(
      expect.objectContaining({
        code: ErrorCodes.UNKNOWN_SCHEMA,
        message: expect.stringMatching(/cannot be read as ride-started/),
      }),
    );
    expect(() => decodeRide(values[1]!, undefined, catalog)).toThrowError(
      expect.objectContaining({
        code: ErrorCodes.UNKNOWN_SCHEMA,
        message: expect.stringMatching(/not a valid Avro schema/),
      }),
    );
  });

  it('passes a registry outage on as a retriable error instead of refusing the records', async () => {
    const fake = fakeRegistry({});
    const catalog = await SchemaCatalog.registered(fake.registry, {});
    fake.setDown(true);
    await expect(catalog.learn([encodeRideStarted(ride, 5)])).rejects.toMatchObject({
      code: ErrorCodes.SCHEMA_REGISTRY_FAILED,
      retriable: true,
    });
  });
});
