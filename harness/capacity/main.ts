// Capacity of the scorer under the chart's KEDA autoscaling (deploy/CAPACITY.md): one day of NYC pickups from a TLC
// file, scaled to a peak, through KEDA's Kafka scaler and the HPA, against a fixed fleet sized for the peak.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { REPO_ROOT } from '../repo-paths.js';
import { type CapacityOptions, parseCapacityArgs, USAGE } from './cli-options.js';
import { summarise } from './day-summary.js';
import { CHART_SCALE_DOWN_POLICIES } from './hpa.js';
import { pickupProfile, scaleToPeak, smooth } from './pickup-profile.js';
import { readPickups } from './read-pickups.js';
import { REPLICA_FIGURES } from './replica-figures.js';
import { formatSizingTable, formatSummary, traceCsv } from './report.js';
import { type SimulationSettings, simulate } from './simulate.js';
import { sizingRow } from './sizing-table.js';

const SIZING_RATES = [10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000];

async function run(o: CapacityOptions): Promise<void> {
  // With the trace on stdout, the summary goes to stderr so the CSV stays clean.
  const out = o.trace === '-' ? process.stderr : process.stdout;
  const say = (text: string): boolean => out.write(`${text}\n`);
  const profile = pickupProfile(await readPickups(o.file), o.selection);
  const { perS, factor } = scaleToPeak(smooth(profile.perMinute, o.smoothMinutes), o.peakPerS);
  const rows = simulate(perS, simulationSettings(o));
  writeTrace(o.trace, traceCsv(rows));
  const a = o.autoscaling;
  const day = summarise(rows, {
    partitions: a.partitions,
    replicaRatePerS: o.replicaRatePerS,
    headroom: o.headroom,
  });
  say(
    `load: ${relative(REPO_ROOT, o.file)}, ${profile.label}, ${o.smoothMinutes}-minute average, ×${factor.toFixed(0)}`,
  );
  say(
    `chart: ${a.partitions} partitions, replicas ${a.minReplicas}–${a.maxReplicas}, lagThreshold ${a.lagThreshold}, ` +
      `scale-down window ${a.scaleDownStabilizationS} s${o.evenPartitions ? ', even partitions' : ''}; ` +
      `HPA sync ${o.hpaSyncS} s`,
  );
  say(
    `replica: ${o.replicaRatePerS} rides/s (${REPLICA_FIGURES.source}), start-up ${o.startupS} s, ` +
      `rebalance ${o.rebalanceS} s, commits every ${o.commitIntervalS} s\n`,
  );
  say(formatSummary(day, REPLICA_FIGURES.p99AtSustainedMs));
  const model = { ...REPLICA_FIGURES, replicaRatePerS: o.replicaRatePerS, headroom: o.headroom };
  const rates = [...new Set([...SIZING_RATES, o.peakPerS])].sort((x, y) => x - y);
  say(
    formatSizingTable(
      rates.map((r) => sizingRow(r, model)),
      o.headroom,
    ),
  );
  if (o.trace !== '-') say(`trace: ${relative(REPO_ROOT, o.trace)}`);
}

function simulationSettings(o: CapacityOptions): SimulationSettings {
  const a = o.autoscaling;
  return {
    autoscaler: {
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      trigger: {
        lagThreshold: a.lagThreshold,
        activationLagThreshold: a.activationLagThreshold,
        partitions: a.partitions,
        evenPartitions: o.evenPartitions,
      },
      pollingIntervalS: a.pollingIntervalS,
      cooldownPeriodS: a.cooldownPeriodS,
      scaleDownStabilizationS: a.scaleDownStabilizationS,
      scaleDownPolicies: CHART_SCALE_DOWN_POLICIES,
      hpaSyncS: o.hpaSyncS,
      commitIntervalS: o.commitIntervalS,
    },
    group: {
      partitions: a.partitions,
      replicaRatePerS: o.replicaRatePerS,
      startupS: o.startupS,
      rebalanceS: o.rebalanceS,
    },
  };
}

function writeTrace(trace: string, csv: string): void {
  if (trace === '-') {
    process.stdout.write(csv);
    return;
  }
  mkdirSync(dirname(trace), { recursive: true });
  writeFileSync(trace, csv);
}

const parsed = parseCapacityArgs(process.argv.slice(2));
if ('help' in parsed) process.stdout.write(`${USAGE}\n`);
else if ('problems' in parsed) {
  process.stderr.write(`capacity: ${parsed.problems.join('\n  ')}\n\n${USAGE}\n`);
  process.exitCode = 2;
} else {
  try {
    await run(parsed.options);
  } catch (err) {
    process.stderr.write(`capacity: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
