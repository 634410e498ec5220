import { describe, expect, it } from 'vitest';
import {
  CHART_SCALE_DOWN_POLICIES,
  createHpa,
  DEFAULT_SCALE_UP,
  metricReplicas,
} from '../../capacity/hpa.js';
import { reportedLag } from '../../capacity/kafka-scaler.js';
import { pickupProfile, scaleToPeak, smooth } from '../../capacity/pickup-profile.js';
import { groupCapacityPerS, ScorerGroup } from '../../capacity/scorer-group.js';
import { type MinuteRow, type SimulationSettings, simulate } from '../../capacity/simulate.js';
import { replicasFor, suggestedPartitions } from '../../capacity/sizing-table.js';

const RATE = 45_000;

interface Overrides {
  partitions?: number;
  minReplicas?: number;
  maxReplicas?: number;
  lagThreshold?: number;
  stabilizationS?: number;
}

function settings(overrides: Overrides = {}) {
  const partitions = overrides.partitions ?? 4;
  return {
    autoscaler: {
      minReplicas: overrides.minReplicas ?? 1,
      maxReplicas: overrides.maxReplicas ?? partitions,
      trigger: { lagThreshold: overrides.lagThreshold ?? 90_000, activationLagThreshold: 0, partitions },
      pollingIntervalS: 5,
      cooldownPeriodS: 60,
      scaleDownStabilizationS: overrides.stabilizationS ?? 300,
      scaleDownPolicies: CHART_SCALE_DOWN_POLICIES,
      hpaSyncS: 15,
      commitIntervalS: 1,
    },
    group: { partitions, replicaRatePerS: RATE, startupS: 10, rebalanceS: 3 },
  } satisfies SimulationSettings;
}

/** Minutes of `low` rides/s, then `burst` minutes of `high`, then `low` again until `total` minutes. */
function step(low: number, high: number, from: number, burst: number, total: number): number[] {
  return Array.from({ length: total }, (_, m) => (m >= from && m < from + burst ? high : low));
}

const firstMinute = (rows: MinuteRow[], from: number, test: (r: MinuteRow) => boolean): number =>
  rows.findIndex((r, i) => i >= from && test(r));

describe("KEDA's Kafka scaler", () => {
  it('caps the total lag at partitions × lagThreshold once its integer share passes the partitions', () => {
    const trigger = { lagThreshold: 100, activationLagThreshold: 0, partitions: 6 };
    expect(reportedLag(599.7, trigger)).toBe(599);
    // 650 / 100 is 6 in integer division, not above 6: KEDA lets it through, and the HPA would ask for 7.
    expect(reportedLag(650, trigger)).toBe(650);
    expect(metricReplicas(650, 100, 1, 0.1)).toBe(7);
    expect(reportedLag(700, trigger)).toBe(600);
    expect(reportedLag(1e12, trigger)).toBe(600);
  });

  it('with ensureEvenDistributionOfPartitions, reports the next divisor of the partitions × lagThreshold', () => {
    const trigger = { lagThreshold: 100, activationLagThreshold: 0, partitions: 6, evenPartitions: true };
    expect([0, 100, 101, 250, 301, 650].map((lag) => reportedLag(lag, trigger))).toEqual([
      100, 100, 200, 300, 600, 600,
    ]);
  });
});

describe('the HPA', () => {
  it('keeps the replicas within the tolerance and otherwise asks for ceil(metric / target)', () => {
    expect(metricReplicas(1_050, 100, 10, 0.1)).toBe(10);
    expect(metricReplicas(1_150, 100, 10, 0.1)).toBe(12);
    expect(metricReplicas(10, 100, 10, 0.1)).toBe(1);
  });

  it('scales up at most max(4 pods, 100 %) per 15 s, never past maxReplicas', () => {
    const hpa = createHpa({
      minReplicas: 1,
      maxReplicas: 12,
      target: 100,
      tolerance: 0.1,
      scaleUp: DEFAULT_SCALE_UP,
      scaleDown: { stabilizationS: 300, policies: CHART_SCALE_DOWN_POLICIES },
    });
    expect(hpa.sync(0, 100_000, 1)).toBe(5);
    expect(hpa.sync(15, 100_000, 5)).toBe(10);
    expect(hpa.sync(30, 100_000, 10)).toBe(12);
  });

  it('scales down only after the window, one pod per 30 s', () => {
    const hpa = createHpa({
      minReplicas: 1,
      maxReplicas: 6,
      target: 100,
      tolerance: 0.1,
      scaleUp: DEFAULT_SCALE_UP,
      scaleDown: { stabilizationS: 120, policies: CHART_SCALE_DOWN_POLICIES },
    });
    let replicas = hpa.sync(0, 600, 6);
    const seen: number[] = [];
    for (let t = 15; t <= 240; t += 15) {
      replicas = hpa.sync(t, 0, replicas);
      seen.push(replicas);
    }
    // The 6 recommended at 0 holds through 105 s (the window is (t − 120, t]), then one pod per 30 s.
    expect(seen).toEqual([6, 6, 6, 6, 6, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1]);
  });
});

describe('the scorer group', () => {
  it('scores with its busiest member as the limit: 4 members of 6 partitions score like 3', () => {
    expect(groupCapacityPerS(4, 6, RATE)).toBe(3 * RATE);
    expect(groupCapacityPerS(9, 6, RATE)).toBe(6 * RATE);
    const lagAfterAMinute = (members: number): number => {
      const group = new ScorerGroup(
        { partitions: 6, replicaRatePerS: RATE, startupS: 0, rebalanceS: 0 },
        members,
      );
      for (let s = 0; s < 60; s++) group.step(s, 1, 3.5 * RATE);
      return group.totalLag;
    };
    // The two members with two partitions each get 2/6 of 3.5 × RATE, more than they score.
    expect(lagAfterAMinute(4)).toBeCloseTo(60 * 2 * ((3.5 * RATE) / 3 - RATE));
    expect(lagAfterAMinute(6)).toBe(0);
  });

  it('lets a new pod score only after its start-up, and stops the group for the rebalance it causes', () => {
    const group = new ScorerGroup({ partitions: 2, replicaRatePerS: 10, startupS: 5, rebalanceS: 3 }, 1);
    group.scaleTo(2, 0);
    const scored = Array.from({ length: 12 }, (_, s) => group.step(s, 1, 10));
    // One member until 5 s, nothing during the rebalance (5–8 s), then two members clear the backlog.
    expect(scored).toEqual([10, 10, 10, 10, 10, 0, 0, 0, 20, 20, 20, 10]);
    expect(group.members).toBe(2);
    expect(group.totalLag).toBe(0);
  });
});

describe('a simulated day', () => {
  it('rises to at most the partitions on a burst and comes down only after the stabilization window', () => {
    const rates = step(10_000, 400_000, 5, 10, 40);
    const rows = simulate(rates, settings({ partitions: 4, maxReplicas: 4, stabilizationS: 300 }));
    expect(Math.max(...rows.map((r) => r.maxReplicas))).toBe(4);
    const burstEnd = 15;
    const lastFull = rows.findLastIndex((r) => r.maxLag > 90_000);
    expect(lastFull).toBeGreaterThanOrEqual(burstEnd - 1);
    // No pod leaves within 300 s of the last high lag; then one per 30 s down to the minimum.
    expect(firstMinute(rows, burstEnd, (r) => r.scaleDowns > 0)).toBeGreaterThanOrEqual(lastFull + 5);
    expect(rows.at(-1)!.members).toBe(1);

    const hasty = simulate(rates, settings({ partitions: 4, maxReplicas: 4, stabilizationS: 0 }));
    expect(firstMinute(hasty, burstEnd, (r) => r.scaleDowns > 0)).toBeLessThan(lastFull + 2);
  });

  it('never runs more replicas than partitions, and drains every ride it was offered', () => {
    // 20k/s over one replica: the sync at 15 s reads ~320k of lag, inside KEDA's gap (3 × 90k, 4 × 90k) where
    // it asks for 4; maxReplicaCount (the partitions, in the chart) is what holds it at 3.
    const gap = simulate([RATE + 20_000, RATE + 20_000], settings({ partitions: 3, maxReplicas: 3 }));
    expect(Math.max(...gap.map((r) => r.maxReplicas))).toBe(3);
    const rates = step(10_000, 300_000, 2, 3, 60);
    const rows = simulate(rates, settings({ partitions: 3, maxReplicas: 3 }));
    expect(Math.max(...rows.map((r) => r.maxReplicas))).toBe(3);
    const offered = rates.reduce((sum, r) => sum + r * 60, 0);
    const scored = rows.reduce((sum, r) => sum + r.scoredPerS * 60, 0);
    expect(scored / offered).toBeCloseTo(1, 9);
    expect(rows.at(-1)!.lagAtEnd).toBeLessThan(1);
  });

  it('does not see a few partitions falling behind while the total lag stays within the tolerance', () => {
    // 11 members of 24 partitions: the two with 3 partitions get 3/24 of 8.7 × RATE, more than they score.
    const load = new Array(10).fill(8.7 * RATE);
    const rows = simulate(load, settings({ partitions: 24, minReplicas: 11, lagThreshold: 450_000 }));
    expect(rows.every((r) => r.maxReplicas === 11)).toBe(true);
    expect(rows.at(-1)!.maxWaitS).toBeGreaterThan(30);
    expect(rows.at(-1)!.lagAtEnd).toBeLessThan(11 * 450_000 * 1.1);
  });

  it('stays at the minimum all day under a constant load below one replica', () => {
    const rows = simulate(new Array(120).fill(0.9 * RATE), settings());
    expect(rows.every((r) => r.maxReplicas === 1 && r.scaleUps === 0 && r.maxWaitS < 1)).toBe(true);
  });
});

describe('the load and the sizing', () => {
  it('averages the weekdays of the month per minute, New York wall-clock time', () => {
    const at = (iso: string): number => Date.parse(`${iso}Z`);
    // 2021-02 has 20 weekdays; the Saturday ride and the stray 2009 ride are left out.
    const pickups = [at('2021-02-01T08:15:10'), at('2021-02-02T08:15:50'), at('2021-02-06T08:15:00')];
    const profile = pickupProfile([...pickups, at('2009-01-01T00:00:00')], { kind: 'weekday-average' });
    expect(profile.label).toBe('weekdays of 2021-02 (20 days)');
    expect(profile.perMinute[8 * 60 + 15]).toBe(2 / 20);
    expect(profile.perMinute.reduce((a, b) => a + b)).toBe(2 / 20);
    expect(smooth([3, 0, 0, 0, 0, 0], 3)).toEqual([1, 1, 0, 0, 0, 1]);
    expect(scaleToPeak([60, 30], 1_000).perS).toEqual([1_000, 500]);
  });

  it('sizes replicas for an uneven split and suggests partitions that keep it even', () => {
    expect(replicasFor(100_000, 6, RATE)).toBe(3);
    expect(replicasFor(140_000, 6, RATE)).toBe(6);
    expect(replicasFor(300_000, 6, RATE)).toBeUndefined();
    expect(suggestedPartitions(140_000, RATE)).toBe(12);
  });
});
