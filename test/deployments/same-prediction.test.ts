import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePrediction, readTrips } from '@ride/shared';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runBatchScorer, uniqueName } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import { runProducer } from '../support/producer-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { testKafka } from '../support/test-kafka.js';
import { tripFile } from '../support/trip-file.js';
import { type PredictJson, postPredict, startWeb } from '../support/web-process.js';

const RIDES = 2_000;

describe('one model, three deployments', () => {
  it('gives the same ride the same prediction from the batch CLI, the web service and the stream', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ride-same-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const file = tripFile('green_tripdata_2021-02.parquet');
    const trips = await readTrips(file, { limit: RIDES });

    // Batch: the whole file through the CLI, read back with hyparquet.
    const output = join(root, 'predictions.parquet');
    const batchRun = await runBatchScorer([file, output, '--json']);
    expect(batchRun.code, batchRun.output).toBe(0);
    const batchRows = await parquetReadObjects({ file: await asyncBufferFromFile(output) });
    const batch = new Map(batchRows.map((r) => [r.ride_id as string, r.predicted_duration as number | null]));

    // The rides all three can score: in the first RIDES rows, kept by the course's cleaning, accepted by the model.
    const common = trips.filter((t) => typeof batch.get(t.rideId) === 'number');
    expect(common.length).toBeGreaterThan(RIDES * 0.9);

    // Web: one batch request, pickup times as TLC writes them (naive New York time).
    const web = await startWeb();
    const body = common.map((t) => ({
      PULocationID: t.puLocationId,
      DOLocationID: t.doLocationId,
      trip_distance: t.tripDistance,
      pickup_datetime: new Date(t.pickupWallMs).toISOString().slice(0, 19),
    }));
    const answer = await postPredict<PredictJson[]>(web.url, body);
    expect(answer.status).toBe(200);

    // Stream: the same file's first rows through the producer CLI and the consumer binary.
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 3);
    await startConsumer(topics, uniqueName('g'));
    const run = await runProducer(['--file', file, '--limit', String(RIDES), '--max'], topics);
    expect(run.code, run.output).toBe(0);
    const records = await collectRecords(kafka, topics.predictions, { count: RIDES });
    const stream = new Map(
      records.map((r) => decodePrediction(r.value!, r.headers['content-type'])).map((p) => [p.ride_id, p]),
    );

    const mismatches = common
      .map((t, i) => ({
        ride: t.rideId,
        batch: batch.get(t.rideId),
        web: answer.json[i]!.duration,
        stream: stream.get(t.rideId)?.ride_duration,
      }))
      .filter((m) => m.batch !== m.web || m.web !== m.stream);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(new Set(answer.json.map((p) => p.model_version))).toEqual(new Set(['1.0.0']));
    expect(new Set(common.map((t) => stream.get(t.rideId)?.version))).toEqual(new Set(['1.0.0']));
  });
});
