import { decodePrediction, readTrips } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { startEvaluator, uniqueName, waitFor } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import { createEvaluationTopics, evaluatorOn, replayWithCompletions } from '../support/evaluation-stack.js';
import { killAfterTest } from '../support/kill-after-test.js';
import { testKafka } from '../support/test-kafka.js';
import { tripFile } from '../support/trip-file.js';

const RIDES = 6_000;
const HOUR = 3_600_000;

interface Published {
  version: string;
  partition: number;
  window_start: string;
  count: number;
  sum_error: number;
  sum_abs_error: number;
  sum_squared_error: number;
}

const figures = (count: number, sum: number, abs: number, sq: number) => ({
  count,
  rmse: Math.sqrt(sq / count),
  mae: abs / count,
  bias: sum / count,
});

describe('evaluator: live error from ground truth', () => {
  it("equals an offline evaluation of the scorer's own predictions, through a SIGKILL of the evaluator", {
    timeout: 300_000,
  }, async () => {
    const kafka = testKafka();
    const t = await createEvaluationTopics(kafka);
    const { stream: topics, completions, evaluations, admin } = t;
    await startConsumer(topics, uniqueName('g'));
    const evaluator = evaluatorOn(t, { SESSION_TIMEOUT_MS: '10000' });
    const file = tripFile('green_tripdata_2021-02.parquet');
    const replay = replayWithCompletions(t, file, { limit: RIDES });

    const first = await startEvaluator(evaluator);
    killAfterTest(first.run);
    await first.ready({ timeoutMs: 30_000 });
    // Killed mid-stream, once it has published windows and holds rides waiting for their completion.
    await collectRecords(kafka, evaluations, { count: 1, isolation: 'read_committed', timeoutMs: 60_000 });
    first.run.child.kill('SIGKILL');
    await first.run.exited;
    const second = await startEvaluator(evaluator);
    killAfterTest(second.run);
    await second.ready({ timeoutMs: 30_000 });
    const replayed = await replay;
    expect(replayed.code, replayed.output).toBe(0);

    // Every ride scored, then the evaluator caught up: its checkpoints say it read both inputs to their ends.
    const predictions = await collectRecords(kafka, topics.predictions, {
      count: RIDES,
      timeoutMs: 120_000,
    });
    const caughtUp = async (topic: string) => {
      const [ends, positions] = await Promise.all([
        admin.endOffsets(topic),
        admin.committedPositions(evaluator.groupId, topic),
      ]);
      return [...ends].every(([p, end]) => {
        const metadata = positions.get(p)?.metadata;
        return end === 0n || (metadata != null && BigInt(JSON.parse(metadata).readTo) === end);
      });
    };
    await waitFor(
      async () => (await caughtUp(topics.predictions)) && (await caughtUp(completions)),
      120_000,
      () => `the evaluator did not catch up:\n${second.run.output()}`,
    );
    const published = (
      await collectRecords(kafka, evaluations, { quietMs: 1000, isolation: 'read_committed' })
    ).map((r) => ({ key: r.key, value: JSON.parse(r.value!.toString()) as Published }));
    expect(second.run.child.exitCode).toBeNull();

    // Each window of each partition published once, though the first evaluator died with some open.
    const keys = published.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(published.length).toBeGreaterThan(6 * 24);

    // The offline evaluation: the scorer's predictions against the file's drop-offs, in the same windows.
    const trips = new Map((await readTrips(file, { limit: RIDES })).map((t) => [t.rideId, t]));
    const windows = new Set(published.map((p) => `${p.value.partition}|${Date.parse(p.value.window_start)}`));
    let n = 0;
    let sum = 0;
    let abs = 0;
    let sq = 0;
    for (const r of predictions) {
      const p = decodePrediction(r.value!, r.headers['content-type']);
      const trip = trips.get(p.ride_id)!;
      const actual = (trip.dropoffMs - p.event_time) / 60_000;
      const window = Math.floor(trip.dropoffMs / HOUR) * HOUR;
      if (!windows.has(`${r.partition}|${window}`) || actual < 1 || actual > 60) continue;
      const error = p.ride_duration - actual;
      n += 1;
      sum += error;
      abs += Math.abs(error);
      sq += error * error;
    }
    const total = (k: 'count' | 'sum_error' | 'sum_abs_error' | 'sum_squared_error') =>
      published.reduce((s, p) => s + p.value[k], 0);
    const live = figures(
      total('count'),
      total('sum_error'),
      total('sum_abs_error'),
      total('sum_squared_error'),
    );
    const offline = figures(n, sum, abs, sq);
    expect(published.every((p) => p.value.version === '1.0.0')).toBe(true);
    expect(live.count).toBe(offline.count);
    expect(Math.abs(live.rmse - offline.rmse)).toBeLessThan(0.01);
    expect(Math.abs(live.mae - offline.mae)).toBeLessThan(0.01);
    expect(Math.abs(live.bias - offline.bias)).toBeLessThan(0.01);
    const metrics = (await second.get('/metrics')).body;
    expect(metrics).toMatch(/ride_evaluation_late_pairs_total 0\b/);
  });
});
