import {
  ContentTypes,
  decodePrediction,
  ErrorCodes,
  encodeRideStarted,
  encodeRideStartedTagged,
  Headers,
  type OutRecord,
  type RideStarted,
} from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { disconnectAfterTest, testKafka } from '../support/test-kafka.js';

const good = (i: number): RideStarted => ({
  ride_id: `good-${i}`,
  pickup_datetime: Date.UTC(2021, 1, 1 + (i % 28), i % 24),
  PULocationID: 1 + (i % 263),
  DOLocationID: 1 + ((i * 7) % 263),
  trip_distance: (i % 50) / 3,
  vendor_id: null,
  passenger_count: null,
});
/** A ride in the Confluent wire format, as the producer writes it: no headers. */
const avro = (ride: RideStarted, key = ride.ride_id): OutRecord => ({ key, value: encodeRideStarted(ride) });
/** The earlier contract, still read: bare Avro tagged by a content-type header. */
const tagged = (ride: RideStarted): OutRecord => {
  const { value, contentType } = encodeRideStartedTagged(ride);
  return { key: ride.ride_id, value, headers: { [Headers.contentType]: contentType } };
};
const json = (key: string, body: string): OutRecord => ({
  key,
  value: Buffer.from(body),
  headers: { [Headers.contentType]: ContentTypes.json },
});

/** Each bad event, keyed by a name, with the dead-letter reason it must get. */
const BAD: Array<{ key: string; message: OutRecord; reason: string }> = [
  {
    key: 'random-bytes',
    message: { key: 'random-bytes', value: Buffer.from([0xde, 0xad, 0xbe, 0xef]) },
    reason: ErrorCodes.DECODE_FAILED,
  },
  {
    key: 'truncated-avro',
    message: { key: 'truncated-avro', value: encodeRideStarted(good(1)).subarray(0, 9) },
    reason: ErrorCodes.DECODE_FAILED,
  },
  {
    key: 'unknown-schema-id',
    message: { key: 'unknown-schema-id', value: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42, 0x02]) },
    reason: ErrorCodes.UNKNOWN_SCHEMA,
  },
  {
    key: 'wrong-types',
    message: json(
      'wrong-types',
      '{"ride":{"PULocationID":"130","DOLocationID":205,"trip_distance":"far"},"ride_id":7}',
    ),
    reason: ErrorCodes.INVALID_RIDE,
  },
  {
    key: 'zone-999',
    message: avro({ ...good(2), ride_id: 'zone-999', PULocationID: 999 }),
    reason: ErrorCodes.UNKNOWN_ZONE,
  },
  {
    key: 'zone-0',
    message: avro({ ...good(3), ride_id: 'zone-0', DOLocationID: 0 }),
    reason: ErrorCodes.UNKNOWN_ZONE,
  },
  {
    key: 'negative-distance',
    message: avro({ ...good(4), ride_id: 'negative-distance', trip_distance: -2.5 }),
    reason: ErrorCodes.INVALID_DISTANCE,
  },
  {
    key: 'nan-distance',
    message: avro({ ...good(5), ride_id: 'nan-distance', trip_distance: Number.NaN }),
    reason: ErrorCodes.INVALID_DISTANCE,
  },
  {
    key: 'json-missing-field',
    message: json('json-missing-field', '{"ride":{"PULocationID":130,"trip_distance":3.66},"ride_id":256}'),
    reason: ErrorCodes.INVALID_RIDE,
  },
  {
    key: 'oversized',
    message: json(
      'oversized',
      JSON.stringify({
        ride: { PULocationID: 1, DOLocationID: 2, trip_distance: 1, pad: 'x'.repeat(200_000) },
        ride_id: 'oversized',
      }),
    ),
    reason: ErrorCodes.MESSAGE_TOO_LARGE,
  },
  {
    key: 'unknown-content-type',
    message: {
      key: 'unknown-content-type',
      value: Buffer.from('<ride/>'),
      headers: { [Headers.contentType]: 'application/xml' },
    },
    reason: ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
  },
  {
    key: 'bad-time',
    message: json(
      'bad-time',
      '{"ride":{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66,"pickup_datetime":"not a date"},"ride_id":"bad-time"}',
    ),
    reason: ErrorCodes.INVALID_TIME,
  },
];

describe('dead-letter topic', () => {
  it('routes every bad event to the DLQ with its reason, predicts every good one, and stays healthy', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 3);
    const consumer = await startConsumer(topics, uniqueName('g'));
    const producer = disconnectAfterTest(kafka.producer());
    await producer.connect();

    const goods = Array.from({ length: 300 }, (_, i) => (i % 10 === 0 ? tagged(good(i)) : avro(good(i))));
    goods.push(
      json('256', '{"ride":{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66},"ride_id":256}'),
    );
    const mixed: OutRecord[] = [];
    goods.forEach((m, i) => {
      mixed.push(m);
      const bad = i % 29 === 0 ? BAD[i / 29] : undefined;
      if (bad) mixed.push(bad.message);
    });
    for (const b of BAD.slice(Math.ceil(goods.length / 29))) mixed.push(b.message);
    await producer.send([{ topic: topics.rides, messages: mixed }]);

    const predictions = await collectRecords(kafka, topics.predictions, { count: goods.length });
    const letters = await collectRecords(kafka, topics.deadLetters, { count: BAD.length });
    // Nothing more arrives afterwards: exactly one outcome per input.
    const [allPredictions, allLetters] = await Promise.all([
      collectRecords(kafka, topics.predictions, { quietMs: 1500 }),
      collectRecords(kafka, topics.deadLetters, { quietMs: 1500 }),
    ]);
    expect(allPredictions.length).toBe(predictions.length);
    expect(allLetters.length).toBe(letters.length);

    const predicted = new Set(predictions.map((r) => r.key));
    expect(goods.map((m) => String(m.key)).filter((k) => !predicted.has(k))).toEqual([]);
    expect(predicted.size).toBe(goods.length);
    const reasons = Object.fromEntries(letters.map((r) => [r.key, r.headers[Headers.errorCode]]));
    expect(reasons).toEqual(Object.fromEntries(BAD.map((b) => [b.key, b.reason])));
    expect(predictions.length + letters.length).toBe(mixed.length);

    const rides = await collectRecords(kafka, topics.rides, { count: mixed.length });
    const inputByKey = new Map(rides.map((r) => [r.key, r]));
    for (const letter of letters) {
      const input = inputByKey.get(letter.key)!;
      expect(letter.value?.equals(input.value!)).toBe(true);
      expect(letter.headers).toMatchObject({
        [Headers.sourceTopic]: topics.rides,
        [Headers.sourcePartition]: String(input.partition),
        [Headers.sourceOffset]: input.offset,
      });
      expect(letter.headers[Headers.errorMessage]!.length).toBeGreaterThan(5);
      expect(Date.parse(letter.headers[Headers.failedAt]!)).not.toBeNaN();
      if (input.headers[Headers.contentType])
        expect(letter.headers[Headers.contentType]).toBe(input.headers[Headers.contentType]);
    }

    const course = predictions.find((r) => r.key === '256')!;
    expect(course.headers).toEqual({});
    expect(decodePrediction(course.value!)).toMatchObject({
      ride_id: '256',
      model: 'ride-duration',
    });

    expect((await consumer.get('/readyz')).status).toBe(200);
    const metrics = (await consumer.get('/metrics')).body;
    expect(metrics).toContain(`ride_dead_letters_total{reason="${ErrorCodes.UNKNOWN_ZONE}"} 2`);
    expect(consumer.child.exitCode).toBeNull();
    expect(await consumer.stop()).toBe(0);
  });

  it('can answer in the course JSON shape when configured', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 1);
    await startConsumer(topics, uniqueName('g'), { PREDICTION_FORMAT: 'json' });
    const producer = disconnectAfterTest(kafka.producer());
    await producer.connect();
    await producer.send([
      {
        topic: topics.rides,
        messages: [
          json('256', '{"ride":{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66},"ride_id":256}'),
        ],
      },
    ]);
    const [record] = await collectRecords(kafka, topics.predictions, { count: 1 });
    const body = JSON.parse(record!.value!.toString());
    expect(Object.keys(body).slice(0, 3)).toEqual(['model', 'version', 'prediction']);
    expect(body).toMatchObject({ model: 'ride-duration', version: '1.0.0', prediction: { ride_id: 256 } });
    expect(body.prediction.ride_duration).toBeGreaterThan(1);
  });
});
