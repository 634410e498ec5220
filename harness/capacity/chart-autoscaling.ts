import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../repo-paths.js';

/** The chart whose autoscaling the simulator plays: its values are the defaults of every autoscaling option. */
export const CHART_VALUES = join(REPO_ROOT, 'deploy', 'helm', 'ride-duration', 'values.yaml');

export interface ChartAutoscaling {
  partitions: number;
  minReplicas: number;
  /** scorer.autoscaling.maxReplicas, or kafka.inputPartitions when it is empty (as the chart's helper does). */
  maxReplicas: number;
  lagThreshold: number;
  activationLagThreshold: number;
  pollingIntervalS: number;
  cooldownPeriodS: number;
  scaleDownStabilizationS: number;
}

/** The scorer's autoscaling settings from a values file of the chart. */
export function readChartAutoscaling(path: string = CHART_VALUES): ChartAutoscaling {
  const values = parse(readFileSync(path, 'utf8')) as {
    kafka?: { inputPartitions?: unknown };
    scorer?: { autoscaling?: Record<string, unknown> };
  };
  const a = values.scorer?.autoscaling ?? {};
  const problems: string[] = [];
  const count = (name: string, value: unknown): number => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    problems.push(`${name} is ${JSON.stringify(value)}, not a whole number`);
    return 0;
  };
  const partitions = count('kafka.inputPartitions', values.kafka?.inputPartitions);
  const settings: ChartAutoscaling = {
    partitions,
    minReplicas: count('scorer.autoscaling.minReplicas', a.minReplicas),
    maxReplicas: a.maxReplicas == null ? partitions : count('scorer.autoscaling.maxReplicas', a.maxReplicas),
    lagThreshold: count('scorer.autoscaling.lagThreshold', a.lagThreshold),
    activationLagThreshold: count('scorer.autoscaling.activationLagThreshold', a.activationLagThreshold),
    pollingIntervalS: count('scorer.autoscaling.pollingInterval', a.pollingInterval),
    cooldownPeriodS: count('scorer.autoscaling.cooldownPeriod', a.cooldownPeriod),
    scaleDownStabilizationS: count(
      'scorer.autoscaling.scaleDownStabilizationSeconds',
      a.scaleDownStabilizationSeconds,
    ),
  };
  if (problems.length > 0) throw new Error(`${path}:\n  ${problems.join('\n  ')}`);
  return settings;
}
