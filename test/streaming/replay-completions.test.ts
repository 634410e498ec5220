import { decodeRide, decodeRideCompleted, readTrips } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { runProducer } from '../support/producer-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { disconnectAfterTest, testKafka } from '../support/test-kafka.js';
import { tripFile } from '../support/trip-file.js';

const RIDES = 2_000;

// The ground truth an evaluator joins to predictions: every replayed ride's completion, under the ride's id, on the
// same partition number as the ride (the same key), with the drop-off time the TLC file recorded.
describe.each(['avro', 'json'])('producer CLI --completions (%s)', (format) => {
  it("replays each ride's completion with its ride's id, key and partition, and the file's drop-off", {
    timeout: 180_000,
  }, async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka);
    const completions = uniqueName('s.completions');
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    await admin.createTopics([{ topic: completions, numPartitions: 6 }]);
    const file = tripFile('green_tripdata_2021-02.parquet');

    const run = await runProducer(
      ['--file', file, '--limit', String(RIDES), '--max', '--batch-size', '500', '--completions'],
      topics,
      { COMPLETIONS_TOPIC: completions, PRODUCER_FORMAT: format },
    );
    expect(run.code, run.output).toBe(0);

    const trips = await readTrips(file, { limit: RIDES });
    const dropoffs = new Map(
      trips
        .filter((t) => Number.isFinite(t.pickupMs) && Number.isFinite(t.dropoffMs))
        .map((t) => [t.rideId, t.dropoffMs]),
    );
    const rides = await collectRecords(kafka, topics.rides, { count: RIDES });
    const completed = await collectRecords(kafka, completions, { count: dropoffs.size, quietMs: 1000 });

    const ridePartition = new Map<string, number>();
    for (const r of rides)
      ridePartition.set(decodeRide(r.value, r.headers['content-type']).rideId, r.partition);
    expect(ridePartition.size).toBe(RIDES);

    expect(completed.length).toBe(dropoffs.size);
    const seen = new Set<string>();
    for (const r of completed) {
      // Framed Avro starts with the wire format's magic byte 0, the course's JSON with '{'.
      expect(r.value?.[0]).toBe(format === 'json' ? 0x7b : 0);
      const event = decodeRideCompleted(r.value);
      expect(r.key).toBe(event.ride_id);
      expect(event.dropoff_datetime).toBe(dropoffs.get(event.ride_id));
      expect(r.partition).toBe(ridePartition.get(event.ride_id));
      seen.add(event.ride_id);
    }
    expect(seen.size).toBe(dropoffs.size);
  });
});
