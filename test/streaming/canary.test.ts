import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePrediction, readTrips } from '@ride/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { routesToCanary } from '../../consumer/src/stream/canary/canary-bucket.js';
import { REPO_ROOT, startEvaluator, uniqueName, waitFor } from '../../harness/index.js';
import { collectRecords } from '../support/collect-records.js';
import { startConsumer } from '../support/consumer-process.js';
import {
  createEvaluationTopics,
  type EvaluationTopics,
  evaluatorOn,
  replayWithCompletions,
} from '../support/evaluation-stack.js';
import { killAfterTest } from '../support/kill-after-test.js';
import { testKafka } from '../support/test-kafka.js';
import { tripFile } from '../support/trip-file.js';

const RIDES = 6_000;
const SHARE = 0.2;

/** The canary under test: 20 % of the rides, judged after 300 pairs a side with a 0.5 min margin. */
const canaryEnv = (t: EvaluationTopics) => ({
  CANARY_SHARE: String(SHARE),
  CANARY_MIN_PAIRS: '300',
  CANARY_MARGIN_MINUTES: '0.5',
  EVALUATIONS_TOPIC: t.evaluations,
});

/**
 * The evaluator whose windows judge the canary. Six-hour windows: 6,000 rides over six days leave an hour's window of
 * a partition with a ride or two, and the versions are compared over windows both were scored in.
 */
async function startJudge(t: EvaluationTopics): Promise<void> {
  const evaluator = await startEvaluator(evaluatorOn(t, { EVAL_WINDOW_MS: String(6 * 3_600_000) }));
  killAfterTest(evaluator.run);
  await evaluator.ready({ timeoutMs: 30_000 });
}

describe('canary: a candidate on a share of the rides', () => {
  it('a worse one is rolled back automatically on its live error, every ride answered once, by one model', {
    timeout: 300_000,
  }, async () => {
    const kafka = testKafka();
    const t = await createEvaluationTopics(kafka);
    // The course's linear baseline (0.1.0) against 1.0.0: on 2021-02, RMSE 7.76 against 5.53 offline.
    const group = uniqueName('g');
    const scorer = await startConsumer(t.stream, group, {
      CANARY_MODEL_PATH: 'models/ride-duration/0.1.0',
      ...canaryEnv(t),
    });
    await startJudge(t);
    const file = tripFile('green_tripdata_2021-02.parquet');
    const replayed = await replayWithCompletions(t, file, { limit: RIDES });
    expect(replayed.code, replayed.output).toBe(0);

    // Nothing lost: every ride of the file answered, each once.
    const records = await collectRecords(kafka, t.stream.predictions, { count: RIDES, timeoutMs: 120_000 });
    const predictions = records.map((r) => ({
      ...decodePrediction(r.value!),
      partition: r.partition,
      offset: r.offset,
    }));
    const ids = (await readTrips(file, { limit: RIDES })).map((t) => t.rideId);
    expect(new Set(predictions.map((p) => p.ride_id))).toEqual(new Set(ids));
    expect(predictions).toHaveLength(RIDES);

    // The candidate answered only rides of its share; after the rollback the champion answered those too.
    const byCandidate = predictions.filter((p) => p.version === '0.1.0');
    expect(byCandidate.length).toBeGreaterThan(0);
    expect(byCandidate.every((p) => routesToCanary(p.ride_id, SHARE))).toBe(true);
    const share = predictions.filter((p) => routesToCanary(p.ride_id, SHARE));
    const takenBack = share.filter((p) => p.version === '1.0.0');
    expect(
      takenBack.length,
      'rides of the share answered by the champion after the rollback',
    ).toBeGreaterThan(0);
    // Per partition, once the champion answers a ride of the share, the candidate answers no later one.
    for (let partition = 0; partition < 6; partition++) {
      const inOrder = share
        .filter((p) => p.partition === partition)
        .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
      const first = inOrder.findIndex((p) => p.version === '1.0.0');
      if (first >= 0) expect(inOrder.slice(first).every((p) => p.version === '1.0.0')).toBe(true);
    }

    // The decision is on the evaluations topic, and the scorer's metrics say so.
    const feed = (await collectRecords(kafka, t.evaluations, { quietMs: 1000 })).map((r) =>
      JSON.parse(r.value!.toString()),
    );
    const decisions = feed.filter((v) => v.kind === 'canary-rollback');
    expect(decisions.length).toBeGreaterThanOrEqual(1);
    expect(decisions[0]).toMatchObject({ version: '0.1.0', champion: '1.0.0', reason: 'error' });
    const metrics = (await scorer.get('/metrics')).body;
    expect(metrics).toMatch(/ride_canary_rollbacks_total\{model_version="0\.1\.0",reason="error"\} 1\b/);
    expect(metrics).toMatch(/ride_canary_share\{model_version="0\.1\.0"\} 0\b/);
    expect(scorer.output()).toMatch(/canary rolled back: its share returns to the champion/);
    console.warn(
      `[canary] ${byCandidate.length} rides answered by 0.1.0 (${((100 * byCandidate.length) / RIDES).toFixed(1)} % of ${RIDES}), ` +
        `${takenBack.length} of its share by 1.0.0 after the rollback; decision: ${decisions[0].detail}`,
    );

    // A member started later (a restart, a scale-out) reads the decision before its first ride: the candidate
    // answers nothing more, though its configuration still names it.
    expect(await scorer.stop()).toBe(0);
    const restarted = await startConsumer(t.stream, group, {
      CANARY_MODEL_PATH: 'models/ride-duration/0.1.0',
      ...canaryEnv(t),
    });
    const more = await replayWithCompletions(t, file, { offset: RIDES, limit: 1_000 });
    expect(more.code, more.output).toBe(0);
    const after = (
      await collectRecords(kafka, t.stream.predictions, { count: RIDES + 1_000, timeoutMs: 120_000 })
    )
      .map((r) => decodePrediction(r.value!))
      .filter((p) => !ids.includes(p.ride_id));
    expect(after).toHaveLength(1_000);
    expect(after.filter((p) => routesToCanary(p.ride_id, SHARE)).length).toBeGreaterThan(100);
    expect(after.every((p) => p.version === '1.0.0')).toBe(true);
    expect(restarted.output()).toMatch(/canary rolled back: its share returns to the champion/);
    expect((await restarted.get('/metrics')).body).toMatch(
      /ride_canary_share\{model_version="0\.1\.0"\} 0\b/,
    );
  });

  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('a better candidate keeps its share, and the gate promotes it: the scorer serves it to every ride, live', {
    timeout: 400_000,
  }, async () => {
    const kafka = testKafka();
    const t = await createEvaluationTopics(kafka);
    // A model root whose champion is the baseline (0.1.0), with 1.0.0 beside it as the candidate.
    const root = mkdtempSync(join(tmpdir(), 'canary-models-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    for (const version of ['0.1.0', '1.0.0']) {
      cpSync(join(REPO_ROOT, 'models/ride-duration', version), join(root, version), { recursive: true });
    }
    writeFileSync(join(root, 'CURRENT'), '0.1.0\n');
    const scorer = await startConsumer(t.stream, uniqueName('g'), {
      MODEL_PATH: root,
      MODEL_POLL_INTERVAL_MS: '500',
      CANARY_MODEL_PATH: join(root, '1.0.0'),
      ...canaryEnv(t),
    });
    await startJudge(t);
    const file = tripFile('green_tripdata_2021-02.parquet');
    const replay = (offset: number, limit: number) => replayWithCompletions(t, file, { offset, limit });
    const first = await replay(0, 4_000);
    expect(first.code, first.output).toBe(0);
    await waitFor(
      async () => /canary within the margin of the champion/.test(scorer.output()),
      120_000,
      () => `the canary was not judged:\n${scorer.output()}`,
    );
    expect(scorer.output()).not.toMatch(/canary rolled back/);

    // The documented promotion: the gate compares both on a labelled month and moves CURRENT.
    const gate = spawnSync(
      'bash',
      ['models/gate.sh', '--candidate', '1.0.0', '--month', '2021-02', '--models-dir', root],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(gate.status, `${gate.stdout}${gate.stderr}`).toBe(0);
    expect(readFileSync(join(root, 'CURRENT'), 'utf8').trim()).toBe('1.0.0');
    await waitFor(
      async () => /model swapped: the next batch uses it/.test(scorer.output()),
      60_000,
      () => `the promotion was not picked up:\n${scorer.output()}`,
    );

    const second = await replay(4_000, 1_000);
    expect(second.code, second.output).toBe(0);
    const records = await collectRecords(kafka, t.stream.predictions, { count: 5_000, timeoutMs: 120_000 });
    const predictions = records.map((r) => decodePrediction(r.value!));
    const ids = (await readTrips(file, { limit: 5_000 })).map((t) => t.rideId);
    expect(new Set(predictions.map((p) => p.ride_id))).toEqual(new Set(ids));
    expect(predictions).toHaveLength(5_000);
    const later = new Set(ids.slice(4_000));
    const afterPromotion = predictions.filter((p) => later.has(p.ride_id));
    expect(afterPromotion.every((p) => p.version === '1.0.0')).toBe(true);
    const before = predictions.filter((p) => !later.has(p.ride_id));
    expect(before.filter((p) => p.version === '0.1.0').length).toBeGreaterThan(0);
    expect(before.filter((p) => p.version === '1.0.0').every((p) => routesToCanary(p.ride_id, SHARE))).toBe(
      true,
    );
    expect(scorer.output()).toMatch(/the candidate is the champion now: it answers every ride/);
    const metrics = (await scorer.get('/metrics')).body;
    expect(metrics).toMatch(/ride_canary_share\{model_version="1\.0\.0"\} 0\b/);
    expect(metrics).not.toMatch(/ride_canary_rollbacks_total\{/);
  });
});
