import { createHpa, DEFAULT_SCALE_UP, HPA_TOLERANCE, type ScalingPolicy } from './hpa.js';
import { isActive, type KafkaTrigger, reportedLag } from './kafka-scaler.js';
import { type GroupSettings, ScorerGroup } from './scorer-group.js';

export interface AutoscalerSettings {
  minReplicas: number;
  maxReplicas: number;
  trigger: KafkaTrigger;
  /** KEDA's own poll: only what takes the target from 0 to 1 and back (the HPA scales between 1 and N). */
  pollingIntervalS: number;
  /** Inactive this long before KEDA scales to 0; only with minReplicas 0. */
  cooldownPeriodS: number;
  scaleDownStabilizationS: number;
  scaleDownPolicies: readonly ScalingPolicy[];
  /** kube-controller-manager's --horizontal-pod-autoscaler-sync-period: how often the HPA reads the lag. */
  hpaSyncS: number;
  /** The scorer's COMMIT_INTERVAL_MS, in seconds. */
  commitIntervalS: number;
}

export interface SimulationSettings {
  autoscaler: AutoscalerSettings;
  group: GroupSettings;
}

/** One minute of the simulated day. */
export interface MinuteRow {
  minute: number;
  offeredPerS: number;
  scoredPerS: number;
  /** Pods of the Deployment, averaged over the minute (what is paid for), and the most at any second. */
  meanReplicas: number;
  maxReplicas: number;
  /** Members scoring at the minute's end. */
  members: number;
  lagAtEnd: number;
  maxLag: number;
  /** The longest a ride at the head of a partition had waited in Kafka during the minute. */
  maxWaitS: number;
  /** The highest even load the minute's end members keep up with (an uneven split counts its busiest member). */
  capacityPerS: number;
  /** Times the Deployment's replicas went up or down in the minute: each is a rebalance once the pod joins or leaves. */
  scaleUps: number;
  scaleDowns: number;
}

type Autoscaler = (nowS: number) => number | undefined;

/** Runs the day second by second; ratesPerMinute holds the rides per second offered in each minute. */
export function simulate(ratesPerMinute: readonly number[], settings: SimulationSettings): MinuteRow[] {
  const group = new ScorerGroup(settings.group, Math.max(1, settings.autoscaler.minReplicas));
  const autoscale = createAutoscaler(settings.autoscaler, group);
  return ratesPerMinute.map((offeredPerS, minute) => simulateMinute(minute, offeredPerS, group, autoscale));
}

/** KEDA and the HPA it creates: the replicas they set at nowS, or undefined when neither acts then. */
function createAutoscaler(a: AutoscalerSettings, group: ScorerGroup): Autoscaler {
  const hpa = createHpa({
    // KEDA gives the HPA at least 1: 0 is its own business.
    minReplicas: Math.max(1, a.minReplicas),
    maxReplicas: a.maxReplicas,
    target: a.trigger.lagThreshold,
    tolerance: HPA_TOLERANCE,
    scaleUp: DEFAULT_SCALE_UP,
    scaleDown: { stabilizationS: a.scaleDownStabilizationS, policies: a.scaleDownPolicies },
  });
  let lastActiveS = 0;
  return (nowS) => {
    // KEDA reads committed offsets, which trail what was scored by half the commit interval on average.
    const lag = group.totalLag + (group.scoredPerS * a.commitIntervalS) / 2;
    let replicas: number | undefined;
    if (a.minReplicas === 0 && nowS % a.pollingIntervalS === 0) {
      if (isActive(lag, a.trigger)) lastActiveS = nowS;
      if (group.pods === 0 && lastActiveS === nowS) replicas = 1;
      if (group.pods > 0 && nowS - lastActiveS >= a.cooldownPeriodS) replicas = 0;
    }
    if (nowS % a.hpaSyncS === 0)
      replicas = hpa.sync(nowS, reportedLag(lag, a.trigger), replicas ?? group.pods);
    return replicas;
  };
}

function simulateMinute(
  minute: number,
  offeredPerS: number,
  group: ScorerGroup,
  autoscale: Autoscaler,
): MinuteRow {
  const row = {
    scored: 0,
    podSeconds: 0,
    maxReplicas: 0,
    maxLag: 0,
    maxWaitS: 0,
    scaleUps: 0,
    scaleDowns: 0,
  };
  for (let s = 0; s < 60; s++) {
    const nowS = minute * 60 + s;
    const replicas = autoscale(nowS);
    if (replicas !== undefined && replicas > group.pods) row.scaleUps++;
    if (replicas !== undefined && replicas < group.pods) row.scaleDowns++;
    if (replicas !== undefined) group.scaleTo(replicas, nowS);
    row.scored += group.step(nowS, 1, offeredPerS);
    row.podSeconds += group.pods;
    row.maxReplicas = Math.max(row.maxReplicas, group.pods);
    row.maxLag = Math.max(row.maxLag, group.totalLag);
    row.maxWaitS = Math.max(row.maxWaitS, group.headWaitS);
  }
  return {
    minute,
    offeredPerS,
    scoredPerS: row.scored / 60,
    meanReplicas: row.podSeconds / 60,
    maxReplicas: row.maxReplicas,
    members: group.members,
    lagAtEnd: group.totalLag,
    maxLag: row.maxLag,
    maxWaitS: row.maxWaitS,
    capacityPerS: group.capacityPerS,
    scaleUps: row.scaleUps,
    scaleDowns: row.scaleDowns,
  };
}
