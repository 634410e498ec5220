import {
  ContentTypes,
  decodeRide,
  decodeRideCompleted,
  type RideCompleted,
  type RideStarted,
} from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { type EventEncoding, eventRecords, rideRecord } from '../src/event-records.js';

const ride: RideStarted = {
  ride_id: 'green_tripdata_2021-02:7',
  pickup_datetime: Date.UTC(2021, 1, 3, 13),
  PULocationID: 130,
  DOLocationID: 205,
  trip_distance: 3.66,
  vendor_id: 2,
  passenger_count: 1,
};
const completion: RideCompleted = { ride_id: ride.ride_id, dropoff_datetime: Date.UTC(2021, 1, 3, 13, 17) };
const encoding: EventEncoding = {
  ridesTopic: 'rides',
  rideSchemaId: 1102,
  format: 'avro',
  wire: 'confluent',
  completions: { topic: 'ride-completions', schemaId: 1301 },
};

describe('eventRecords', () => {
  it('puts rides on the rides topic and completions on theirs, each keyed by its ride id', () => {
    const records = eventRecords([ride], [completion], encoding);
    expect(records.map((r) => r.topic)).toEqual(['rides', 'ride-completions']);
    const [rides, completions] = records.map((r) => r.messages);
    // The same key on topics of the same partition count: the same partition number, by the client's murmur2.
    expect(rides![0]!.key).toBe(ride.ride_id);
    expect(completions![0]!.key).toBe(ride.ride_id);
    expect(decodeRide(rides![0]!.value as Buffer, undefined).rideId).toBe(ride.ride_id);
    expect(decodeRideCompleted(completions![0]!.value as Buffer)).toEqual(completion);
    expect((completions![0]!.value as Buffer).readUInt32BE(1)).toBe(1301);
    expect(completions![0]!.headers).toBeUndefined();
  });

  it('writes the schema id it was given (a registry id) on completions', () => {
    const registered = { ...encoding, completions: { topic: 'c', schemaId: 77 } };
    const [record] = eventRecords([], [completion], registered);
    expect(record!.topic).toBe('c');
    expect((record!.messages[0]!.value as Buffer).readUInt32BE(1)).toBe(77);
  });

  it('writes completions as JSON with the JSON format, and never tags them', () => {
    const json = { ...encoding, format: 'json' as const, wire: 'tagged' as const };
    const [rides, completions] = eventRecords([ride], [completion], json);
    expect(rides!.messages[0]!.headers).toEqual({ 'content-type': ContentTypes.json });
    expect(completions!.messages[0]!.headers).toBeUndefined();
    expect(JSON.parse(String(completions!.messages[0]!.value))).toEqual({
      ride_id: ride.ride_id,
      dropoff_datetime: '2021-02-03T13:17:00.000Z',
    });
  });

  it('leaves out a topic with nothing to send, and rides-only batches need no completions topic', () => {
    const { completions: _, ...ridesOnly } = encoding;
    expect(eventRecords([ride], [], ridesOnly).map((r) => r.topic)).toEqual(['rides']);
    expect(eventRecords([], [completion], encoding).map((r) => r.topic)).toEqual(['ride-completions']);
    expect(() => eventRecords([], [completion], ridesOnly)).toThrow(/no completionsTopic/);
  });

  it('builds ride records as before: no headers in the wire format, a content type when tagged', () => {
    expect(rideRecord(ride, encoding).headers).toBeUndefined();
    expect(rideRecord(ride, { ...encoding, wire: 'tagged' }).headers).toEqual({
      'content-type': ContentTypes.rideStartedAvro(2),
    });
  });
});
