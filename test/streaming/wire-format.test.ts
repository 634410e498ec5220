import { decodePrediction, framedSchemaId, ridePredictionSchemas, rideStartedSchemas } from '@ride/shared';
import { describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import { runKcat } from '../support/kcat.js';
import { runProducer } from '../support/producer-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { testKafka } from '../support/test-kafka.js';

const RIDES = 300;

/** kcat's view of a topic from the beginning: key, timestamp, headers ("" when none) and value size per record. */
function kcatRecords(
  topic: string,
): Array<{ key: string; timestamp: string; headers: string; bytes: number }> {
  const brokers = inject('kafkaBrokers').join(',');
  const out = runKcat([
    '-C',
    '-b',
    brokers,
    '-t',
    topic,
    '-o',
    'beginning',
    '-e',
    '-q',
    '-f',
    '%k\t%T\t%h\t%S\n',
  ]);
  return out
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [key, timestamp, headers, bytes] = line.split('\t');
      return { key: key!, timestamp: timestamp!, headers: headers!, bytes: Number(bytes) };
    });
}

describe('the wire format, as an outside client reads it', () => {
  it('kcat reads rides and predictions with no header, predictions keyed by ride and stamped with its timestamp', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 3);
    await startConsumer(topics, uniqueName('g'));
    const run = await runProducer(['--synthetic', '--limit', String(RIDES), '--max'], topics);
    expect(run.code, run.output).toBe(0);
    await collectRecords(kafka, topics.predictions, { count: RIDES });

    const rides = kcatRecords(topics.rides);
    const predictions = kcatRecords(topics.predictions);
    expect(rides).toHaveLength(RIDES);
    expect(predictions).toHaveLength(RIDES);
    for (const record of [...rides, ...predictions]) {
      expect(record.headers).toBe('');
      expect(record.bytes).toBeGreaterThan(5);
    }
    // Every ride answered once, under its own key, at its own record timestamp (Kafka Streams' convention).
    const rideTime = new Map(rides.map((r) => [r.key, r.timestamp]));
    expect(new Set(predictions.map((p) => p.key))).toEqual(new Set(rideTime.keys()));
    for (const p of predictions) expect(p.timestamp).toBe(rideTime.get(p.key));

    // The value bytes as kcat hands them over: magic byte 0, the schema id, an Avro body that decodes alone.
    const brokers = inject('kafkaBrokers').join(',');
    const [rideValue, predictionValue] = [topics.rides, topics.predictions].map((topic) =>
      runKcat(['-C', '-b', brokers, '-t', topic, '-p', '0', '-o', 'beginning', '-c', '1', '-q', '-f', '%s']),
    );
    expect(rideValue![0]).toBe(0);
    expect(framedSchemaId(rideValue!)).toBe(rideStartedSchemas[2]!.fixedId);
    expect(predictionValue![0]).toBe(0);
    expect(framedSchemaId(predictionValue!)).toBe(ridePredictionSchemas[1]!.fixedId);
    const prediction = decodePrediction(predictionValue!);
    expect(rideTime.has(prediction.ride_id)).toBe(true);
    expect(prediction).toMatchObject({ model: 'ride-duration', version: '1.0.0' });
    expect(prediction.ride_duration).toBeGreaterThan(0);
  });
});
