import { decodePrediction, readTrips } from '@ride/shared';
import { ModelScorer } from '@ride/shared/model';
import { describe, expect, it } from 'vitest';
import { MODEL_DIR, uniqueName } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import { runProducer } from '../support/producer-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { testKafka } from '../support/test-kafka.js';
import { tripFile } from '../support/trip-file.js';

const RIDES = 10_000;

describe('producer CLI → consumer group → predictions', () => {
  it('turns 10,000 replayed 2021-02 rides into exactly 10,000 predictions equal to the offline scorer', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka);
    const file = tripFile('green_tripdata_2021-02.parquet');
    const consumer = await startConsumer(topics, uniqueName('g'));

    const run = await runProducer(
      ['--file', file, '--limit', String(RIDES), '--max', '--batch-size', '1000'],
      topics,
    );
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`"sent":${RIDES}`);

    const records = await collectRecords(kafka, topics.predictions, { count: RIDES });
    // Give a duplicate, if any, time to show up before counting.
    const settled = await collectRecords(kafka, topics.predictions, { quietMs: 1500 });
    expect(settled.length).toBe(RIDES);
    expect(records.length).toBe(RIDES);

    const scorer = await ModelScorer.load(MODEL_DIR);
    const trips = await readTrips(file, { limit: RIDES });
    const offline = await scorer.score(trips);
    await scorer.close();
    expect(offline.invalidCount).toBe(0);
    const expected = new Map(trips.map((t, i) => [t.rideId, offline.durations[i]!]));

    const byRide = new Map<string, number>();
    for (const r of settled) {
      const p = decodePrediction(r.value!, r.headers['content-type']);
      expect(r.key).toBe(p.ride_id);
      expect(p.model).toBe('ride-duration');
      expect(p.version).toBe('1.0.0');
      expect(p.event_time).toBe(trips[Number(p.ride_id.split(':')[1])]!.pickupMs);
      expect(p.scored_at).toBeGreaterThanOrEqual(p.event_time);
      byRide.set(p.ride_id, p.ride_duration);
    }
    expect(byRide.size).toBe(RIDES);
    for (const [rideId, duration] of byRide) expect(duration).toBe(expected.get(rideId));

    expect(await collectRecords(kafka, topics.deadLetters, { quietMs: 500 })).toEqual([]);
    const metrics = (await consumer.get('/metrics')).body;
    expect(metrics).toMatch(new RegExp(`ride_predictions_out_total\\{model_version="1.0.0"\\} ${RIDES}`));
    expect(await consumer.stop()).toBe(0);
  });
});
