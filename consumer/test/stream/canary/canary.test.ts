import { createLogger } from '@ride/shared';
import type { ModelScorer } from '@ride/shared/model';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Canary } from '../../../src/stream/canary/canary.js';
import { createCanaryMetrics } from '../../../src/stream/canary/canary-metrics.js';
import type { RollbackDecision } from '../../../src/stream/canary/evaluation-feed.js';
import { fakeScorer } from '../stream-fixtures.js';

function rig(options: { champion?: () => ModelScorer; maxFailures?: number } = {}) {
  const registry = new Registry();
  const published: RollbackDecision[] = [];
  const champion = fakeScorer('1.0.0');
  const candidate = fakeScorer('0.1.0');
  const canary = new Canary({
    settings: { share: 0.2, marginMinutes: 0.5, minPairs: 100, maxFailures: options.maxFailures ?? 10 },
    champion: options.champion ?? (() => champion),
    candidate: () => candidate,
    publish: async (decision) => {
      published.push(decision);
    },
    metrics: createCanaryMetrics(registry),
    logger: createLogger({ level: 'silent' }),
  });
  const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return { canary, published, metric };
}

const window = (version: string, hour: number, count: number, rmse: number) => ({
  kind: 'window' as const,
  figures: { version, window: `h${hour}|0`, count, sumSquaredError: rmse * rmse * count, sumError: 0 },
});

describe('Canary', () => {
  it('routes its share while live, and rolls back once its live error is worse by the margin', async () => {
    const { canary, published, metric } = rig();
    expect(canary.route()).toMatchObject({ share: 0.2, scorer: { version: '0.1.0' } });
    expect(await metric('ride_canary_share')).toEqual([{ labels: { model_version: '0.1.0' }, value: 0.2 }]);
    canary.observe(window('1.0.0', 1, 400, 6));
    canary.observe(window('0.1.0', 1, 100, 6.4)); // within the margin
    expect(canary.route()).toBeDefined();
    canary.observe(window('1.0.0', 2, 400, 6));
    canary.observe(window('0.1.0', 2, 100, 9));
    expect(canary.route()).toBeUndefined();
    expect(published).toMatchObject([
      { kind: 'canary-rollback', version: '0.1.0', champion: '1.0.0', reason: 'error' },
    ]);
    expect(published[0]!.detail).toMatch(
      /RMSE 7\.\d+ min over 200 rides against the champion 1\.0\.0's 6\.000/,
    );
    expect(await metric('ride_canary_share')).toEqual([{ labels: { model_version: '0.1.0' }, value: 0 }]);
    expect(await metric('ride_canary_rollbacks_total')).toEqual([
      { labels: { model_version: '0.1.0', reason: 'error' }, value: 1 },
    ]);
    // Its own decision read back from the topic changes nothing more.
    canary.observe({ kind: 'rollback', decision: published[0]! });
    expect((await metric('ride_canary_rollbacks_total'))[0]!.value).toBe(1);
  });

  it("applies another member's decision, read from the topic, without publishing one", () => {
    const { canary, published } = rig();
    canary.observe({
      kind: 'rollback',
      decision: {
        kind: 'canary-rollback',
        model: 'fake',
        version: '0.1.0',
        champion: '1.0.0',
        reason: 'failures',
        detail: 'x',
        decided_at: '2026-12-06T00:00:00Z',
      },
    });
    expect(canary.route()).toBeUndefined();
    expect(published).toEqual([]);
  });

  it('rolls back a candidate that fails more rides than allowed', async () => {
    const { canary, published, metric } = rig({ maxFailures: 3 });
    canary.failed('0.1.0', 3);
    expect(canary.route()).toBeDefined();
    canary.failed('0.1.0', 1);
    expect(canary.route()).toBeUndefined();
    expect(published).toMatchObject([
      { reason: 'failures', detail: 'it failed 4 rides (CANARY_MAX_FAILURES=3)' },
    ]);
    expect(await metric('ride_canary_failures_total')).toEqual([
      { labels: { model_version: '0.1.0' }, value: 4 },
    ]);
  });

  it('stops splitting once the candidate is the champion (promoted), and judges against the new champion', () => {
    let champion = fakeScorer('1.0.0');
    const { canary, published } = rig({ champion: () => champion });
    canary.observe(window('1.0.0', 1, 400, 6));
    canary.observe(window('0.1.0', 1, 50, 9));
    champion = fakeScorer('0.1.0');
    expect(canary.route()).toBeUndefined();
    canary.observe(window('0.1.0', 2, 500, 9));
    expect(published).toEqual([]);
  });
});
