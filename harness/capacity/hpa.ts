// The HorizontalPodAutoscaler that KEDA creates for the ScaledObject, as kube-controller-manager runs it for an
// External metric with an AverageValue target (kubernetes pkg/controller/podautoscaler: replica_calculator.go
// GetExternalPerPodMetricReplicas; horizontal.go stabilizeRecommendationWithBehaviors,
// convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors).

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodS: number;
}

/** One direction of `behavior`; selectPolicy is always Max (the default, and what the chart uses). */
export interface ScalingRules {
  stabilizationS: number;
  policies: readonly ScalingPolicy[];
}

export interface HpaSettings {
  minReplicas: number;
  maxReplicas: number;
  /** The AverageValue target: KEDA sets it to the trigger's lagThreshold. */
  target: number;
  tolerance: number;
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

/** kube-controller-manager's --horizontal-pod-autoscaler-tolerance default. */
export const HPA_TOLERANCE = 0.1;

/** The API's defaults for scaleUp, which the chart leaves alone: double, or add 4 pods, per 15 s; no window. */
export const DEFAULT_SCALE_UP: ScalingRules = {
  stabilizationS: 0,
  policies: [
    { type: 'Percent', value: 100, periodS: 15 },
    { type: 'Pods', value: 4, periodS: 15 },
  ],
};

/** The chart's scaleDown policy (templates/scorer-scaledobject.yaml): one member leaves per 30 s. */
export const CHART_SCALE_DOWN_POLICIES: readonly ScalingPolicy[] = [{ type: 'Pods', value: 1, periodS: 30 }];

/** Replicas for a total metric against a per-pod target, unchanged within the tolerance. */
export function metricReplicas(metric: number, target: number, current: number, tolerance: number): number {
  const ratio = metric / (target * current);
  return Math.abs(1 - ratio) > tolerance ? Math.ceil(metric / target) : current;
}

interface Stamped {
  atS: number;
  value: number;
}

/** What the controller remembers between syncs: recent recommendations and scale events. */
interface HpaMemory {
  recommendations: Stamped[];
  upEvents: Stamped[];
  downEvents: Stamped[];
}

export interface Hpa {
  /** One controller sync: the replicas it sets, given the metric and the target's current replicas. */
  sync(nowS: number, metric: number, current: number): number;
}

export function createHpa(settings: HpaSettings): Hpa {
  const memory: HpaMemory = { recommendations: [], upEvents: [], downEvents: [] };
  const policies = [...settings.scaleUp.policies, ...settings.scaleDown.policies];
  const longestPeriodS = Math.max(...policies.map((p) => p.periodS));
  return {
    sync(nowS, metric, current) {
      // At zero the HPA stands aside: KEDA's own poll takes the target from 0 to 1.
      if (current === 0) return 0;
      let desired: number;
      if (current > settings.maxReplicas) desired = settings.maxReplicas;
      else if (current < settings.minReplicas) desired = settings.minReplicas;
      else {
        const recommendation = metricReplicas(metric, settings.target, current, settings.tolerance);
        desired = limitRate(
          settings,
          memory,
          nowS,
          stabilize(settings, memory, nowS, recommendation, current),
          current,
        );
      }
      if (desired > current) memory.upEvents.push({ atS: nowS, value: desired - current });
      if (desired < current) memory.downEvents.push({ atS: nowS, value: current - desired });
      dropBefore(memory.upEvents, nowS - longestPeriodS);
      dropBefore(memory.downEvents, nowS - longestPeriodS);
      return desired;
    },
  };
}

/** Up: the lowest recommendation within the up window; down: the highest within the down window. */
function stabilize(
  settings: HpaSettings,
  memory: HpaMemory,
  nowS: number,
  recommendation: number,
  current: number,
) {
  let up = recommendation;
  let down = recommendation;
  for (const r of memory.recommendations) {
    if (r.atS > nowS - settings.scaleUp.stabilizationS) up = Math.min(up, r.value);
    if (r.atS > nowS - settings.scaleDown.stabilizationS) down = Math.max(down, r.value);
  }
  memory.recommendations.push({ atS: nowS, value: recommendation });
  dropBefore(
    memory.recommendations,
    nowS - Math.max(settings.scaleUp.stabilizationS, settings.scaleDown.stabilizationS),
  );
  return Math.min(Math.max(current, up), down);
}

/** The policies' limits, counted from the replicas at the start of each policy's period (selectPolicy Max). */
function limitRate(settings: HpaSettings, memory: HpaMemory, nowS: number, desired: number, current: number) {
  const changedWithin = (events: Stamped[], periodS: number): number =>
    events.reduce((sum, e) => (e.atS > nowS - periodS ? sum + e.value : sum), 0);
  const periodStart = (periodS: number): number =>
    current - changedWithin(memory.upEvents, periodS) + changedWithin(memory.downEvents, periodS);
  if (desired > current) {
    const limit = Math.max(
      ...settings.scaleUp.policies.map((p) =>
        p.type === 'Pods'
          ? periodStart(p.periodS) + p.value
          : Math.ceil(periodStart(p.periodS) * (1 + p.value / 100)),
      ),
    );
    return Math.min(desired, settings.maxReplicas, Math.max(limit, current));
  }
  if (desired < current) {
    const limit = Math.min(
      ...settings.scaleDown.policies.map((p) =>
        p.type === 'Pods'
          ? periodStart(p.periodS) - p.value
          : Math.floor(periodStart(p.periodS) * (1 - p.value / 100)),
      ),
    );
    return Math.max(desired, settings.minReplicas, Math.min(limit, current));
  }
  return desired;
}

function dropBefore(stamped: Stamped[], cutoffS: number): void {
  while (stamped.length > 0 && stamped[0]!.atS <= cutoffS) stamped.shift();
}
