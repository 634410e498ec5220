import { spawnSync } from 'node:child_process';
import { ErrorCodes, encodeRideStarted } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { recordCount, uniqueName, waitFor } from '../../harness/index.js';
import { startConsumer } from '../support/consumer-process.js';
import { dashboardQueries } from '../support/dashboard-queries.js';
import { runProducer } from '../support/producer-process.js';
import {
  COMPOSE_PROMETHEUS_CONFIG,
  ensurePrometheus,
  loopbackConfig,
  type PrometheusProcess,
  startPrometheus,
} from '../support/prometheus-process.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { disconnectAfterTest, testKafka } from '../support/test-kafka.js';

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** The query's samples (an instant vector); fails the test on a query error. */
async function samples(prometheus: PrometheusProcess, expr: string): Promise<Sample[]> {
  const answer = await prometheus.query(expr);
  if (answer.status !== 'success') throw new Error(`query failed: ${expr}: ${answer.error}`);
  return answer.data?.resultType === 'vector' ? (answer.data.result as Sample[]) : [];
}

const numbers = (s: Sample[]) => s.map((x) => Number(x.value[1])).filter((v) => Number.isFinite(v));

describe('Prometheus from Debian scraping the consumer', () => {
  it('scrapes a running consumer and every dashboard query runs; throughput, latency, dead letters and model version return values', async () => {
    ensurePrometheus();
    // The compose stack's config itself, DNS discovery included, is what Prometheus accepts.
    const check = spawnSync('promtool', ['check', 'config', COMPOSE_PROMETHEUS_CONFIG], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);

    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, 3);
    const consumer = await startConsumer(topics, uniqueName('g'));
    const prometheus = await startPrometheus(loopbackConfig([`127.0.0.1:${consumer.port}`]));
    await waitFor(
      async () => numbers(await samples(prometheus, 'up{job="ride-scorer"}'))[0] === 1,
      30_000,
      () => `prometheus never scraped the consumer:\n${prometheus.output()}`,
    );

    // A few rides with an unknown zone, so the dead-letters-by-reason panel has a reason to show.
    const producer = disconnectAfterTest(kafka.producer());
    await producer.connect();
    const bad = Array.from({ length: 3 }, (_, i) => {
      const ride = {
        ride_id: `zone-999-${i}`,
        pickup_datetime: Date.UTC(2021, 1, 1),
        PULocationID: 999,
        DOLocationID: 1,
        trip_distance: 1,
        vendor_id: null,
        passenger_count: null,
      };
      return { key: ride.ride_id, value: encodeRideStarted(ride) };
    });
    await producer.send([{ topic: topics.rides, messages: bad }]);
    // Several seconds of paced rides: rate() needs increases seen by at least two scrapes.
    const run = await runProducer(['--synthetic', '--rate', '300', '--duration', '6'], topics);
    expect(run.code, run.output).toBe(0);

    await waitFor(
      async () =>
        (numbers(await samples(prometheus, 'sum(rate(ride_predictions_out_total[1m]))'))[0] ?? 0) > 0,
      30_000,
      () => 'no prediction throughput in Prometheus',
    );
    // A scrape after the last batch, so the totals include every ride: the consumer's own count of the rides it
    // took, as Prometheus last scraped it, reaches what the topic holds.
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    const rides = await recordCount(admin, topics.rides);
    let scraped = 0;
    await waitFor(
      async () => {
        scraped = numbers(await samples(prometheus, 'sum(ride_events_in_total)'))[0] ?? 0;
        return scraped >= rides;
      },
      30_000,
      () => `Prometheus saw the consumer take ${scraped} of ${rides} rides`,
    );

    const results = new Map<string, Sample[]>();
    for (const q of dashboardQueries())
      results.set(`${q.panel}/${q.refId}`, await samples(prometheus, q.expr));
    const table = [...results].map(
      ([k, s]) => `${k}: ${s.map((x) => `${JSON.stringify(x.metric)}=${x.value[1]}`)}`,
    );
    const show = () => table.join('\n');

    expect(numbers(results.get('Throughput/A') ?? [])[0], show()).toBeGreaterThan(0);
    const predictions = results.get('Throughput/B') ?? [];
    expect(
      predictions.map((s) => s.metric.model_version),
      show(),
    ).toEqual(['1.0.0']);
    expect(numbers(predictions)[0], show()).toBeGreaterThan(0);
    const serving = results.get('Model serving/A') ?? [];
    expect(
      serving.map((s) => [s.metric.model, s.metric.version, s.value[1]]),
      show(),
    ).toEqual([['ride-duration', '1.0.0', '1']]);
    expect(numbers(results.get('Consumers up/A') ?? []), show()).toEqual([1]);
    for (const p of ['A', 'B', 'C'])
      expect(numbers(results.get(`End-to-end latency percentiles/${p}`) ?? [])[0], show()).toBeGreaterThan(0);
    const reasons = (results.get('Dead letters by reason/A') ?? []).map((s) => s.metric.reason);
    expect(reasons, show()).toEqual([ErrorCodes.UNKNOWN_ZONE]);
    expect(numbers(results.get('Dead letters (total)/A') ?? []), show()).toEqual([3]);
  }, 240_000);
});
