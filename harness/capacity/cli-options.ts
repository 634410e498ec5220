import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../repo-paths.js';
import { CHART_VALUES, type ChartAutoscaling, readChartAutoscaling } from './chart-autoscaling.js';
import type { DaySelection } from './pickup-profile.js';
import { REBALANCE_PAUSE_S, REPLICA_FIGURES, STARTUP_S } from './replica-figures.js';

export const USAGE = `Usage: npx tsx harness/capacity/main.ts [--file <tlc.parquet>] [--peak <rides/s>] [options]
  A day of NYC pickups, scaled up, through the chart's KEDA autoscaling: replicas, lag and pod-hours.
  --file <path>            TLC green-taxi parquet (default data/green_tripdata_2021-02.parquet; npm run data)
  --day <YYYY-MM-DD>       one date of the file (default: the mean weekday of the file's month)
  --peak <rides/s>         the busiest minute's rides per second after scaling (default 100000)
  --smooth <minutes>       centred moving average of the per-minute pickups; 1 for none (default 15)
  --replica-rate <rides/s> what one replica scores (default ${REPLICA_FIGURES.sustainedRidesPerS}: the bench's sustained load)
  --startup <s>            pod creation to first prediction (default ${STARTUP_S})
  --rebalance <s>          the group's stop when a member joins or leaves (default ${REBALANCE_PAUSE_S})
  --hpa-sync <s>           the HPA's sync period (default 15)
  --commit-interval <s>    the scorer's COMMIT_INTERVAL_MS in seconds (default 1)
  --headroom <fraction>    spare capacity of the fixed fleet and the sizing table (default 0.25)
  --trace <path.csv | ->   the per-minute trace (default .cache/capacity/trace-<file>-<peak>.csv; - for stdout)
  The chart's values are the defaults of: --values <values.yaml> --partitions --min-replicas --max-replicas
  --lag-threshold --activation-lag-threshold --polling-interval --cooldown --stabilization <s>
  --even-partitions        set the trigger's ensureEvenDistributionOfPartitions (the chart leaves it off)`;

export interface CapacityOptions {
  file: string;
  selection: DaySelection;
  peakPerS: number;
  smoothMinutes: number;
  autoscaling: ChartAutoscaling;
  replicaRatePerS: number;
  startupS: number;
  rebalanceS: number;
  hpaSyncS: number;
  commitIntervalS: number;
  headroom: number;
  evenPartitions: boolean;
  /** A file path, or '-' for stdout. */
  trace: string;
}

const s = { type: 'string' } as const;
const OPTIONS = {
  file: s,
  day: s,
  peak: s,
  smooth: s,
  'replica-rate': s,
  startup: s,
  rebalance: s,
  'hpa-sync': s,
  'commit-interval': s,
  headroom: s,
  trace: s,
  values: s,
  partitions: s,
  'min-replicas': s,
  'max-replicas': s,
  'lag-threshold': s,
  'activation-lag-threshold': s,
  'polling-interval': s,
  cooldown: s,
  stabilization: s,
  'even-partitions': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const RULES = {
  positive: { ok: (n: number) => n > 0, want: 'a number above 0' },
  seconds: { ok: (n: number) => n >= 0, want: 'seconds ≥ 0' },
  whole: { ok: (n: number) => Number.isInteger(n) && n >= 0, want: 'a whole number ≥ 0' },
  fraction: { ok: (n: number) => n >= 0 && n <= 10, want: 'a fraction of the load, e.g. 0.25' },
} as const;
type Rule = keyof typeof RULES;

export type ParsedArgs = { help: true } | { options: CapacityOptions } | { problems: string[] };

type Name = keyof typeof OPTIONS;

/** One option's value checked against its rule; a bad one adds a problem naming the option. */
interface ArgReader {
  text(name: Name): string | undefined;
  number(name: Name, fallback: number, rule: Rule): number;
  problems: string[];
}

/** Reads the command line; every problem is reported at once, each naming its option. */
export function parseCapacityArgs(argv: readonly string[]): ParsedArgs {
  let values: Partial<Record<Name, string | boolean>>;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    return { problems: [(err as Error).message] };
  }
  if (values.help) return { help: true };
  const args = argReader(values);
  const { text, number, problems } = args;
  const autoscaling = autoscalingArgs(args);
  const day = text('day');
  if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) problems.push(`--day ${day}: want YYYY-MM-DD`);
  const smoothMinutes = number('smooth', 15, 'positive');
  if (!Number.isInteger(smoothMinutes)) problems.push(`--smooth ${text('smooth')}: want whole minutes`);
  const hpaSyncS = number('hpa-sync', 15, 'positive');
  if (!Number.isInteger(hpaSyncS) || !Number.isInteger(autoscaling.pollingIntervalS))
    problems.push('--hpa-sync and --polling-interval: want whole seconds (the simulation steps by 1 s)');
  const file = text('file') ?? join(REPO_ROOT, 'data', 'green_tripdata_2021-02.parquet');
  const options: CapacityOptions = {
    file,
    selection: day === undefined ? { kind: 'weekday-average' } : { kind: 'date', date: day },
    peakPerS: number('peak', 100_000, 'positive'),
    smoothMinutes,
    autoscaling,
    replicaRatePerS: number('replica-rate', REPLICA_FIGURES.sustainedRidesPerS, 'positive'),
    startupS: number('startup', STARTUP_S, 'seconds'),
    rebalanceS: number('rebalance', REBALANCE_PAUSE_S, 'seconds'),
    hpaSyncS,
    commitIntervalS: number('commit-interval', 1, 'seconds'),
    headroom: number('headroom', 0.25, 'fraction'),
    evenPartitions: values['even-partitions'] === true,
    trace: text('trace') ?? defaultTrace(file, text('peak') ?? '100000'),
  };
  return problems.length > 0 ? { problems } : { options };
}

function argReader(values: Partial<Record<Name, string | boolean>>): ArgReader {
  const problems: string[] = [];
  const text = (name: Name): string | undefined => values[name] as string | undefined;
  const number = (name: Name, fallback: number, rule: Rule): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || !RULES[rule].ok(n))
      problems.push(`--${name} ${raw}: want ${RULES[rule].want}`);
    return n;
  };
  return { text, number, problems };
}

/** The chart's autoscaling values, each overridden by its option, checked against each other. */
function autoscalingArgs({ text, number, problems }: ArgReader): ChartAutoscaling {
  let chart: ChartAutoscaling | undefined;
  try {
    chart = readChartAutoscaling(text('values') ?? CHART_VALUES);
  } catch (err) {
    problems.push(`--values: ${(err as Error).message}`);
  }
  const partitions = number('partitions', chart?.partitions ?? 0, 'whole');
  // An override of the partitions carries the chart's "maxReplicas empty = partitions" along.
  const maxFallback = text('partitions') === undefined ? (chart?.maxReplicas ?? partitions) : partitions;
  const a: ChartAutoscaling = {
    partitions,
    minReplicas: number('min-replicas', chart?.minReplicas ?? 0, 'whole'),
    maxReplicas: number('max-replicas', maxFallback, 'whole'),
    lagThreshold: number('lag-threshold', chart?.lagThreshold ?? 0, 'positive'),
    activationLagThreshold: number('activation-lag-threshold', chart?.activationLagThreshold ?? 0, 'whole'),
    pollingIntervalS: number('polling-interval', chart?.pollingIntervalS ?? 0, 'positive'),
    cooldownPeriodS: number('cooldown', chart?.cooldownPeriodS ?? 0, 'whole'),
    scaleDownStabilizationS: number('stabilization', chart?.scaleDownStabilizationS ?? 0, 'whole'),
  };
  if (chart === undefined) return a;
  if (a.partitions < 1) problems.push('--partitions: want at least 1');
  if (a.maxReplicas > a.partitions)
    problems.push(`--max-replicas ${a.maxReplicas} is above the partitions (${a.partitions})`);
  if (a.maxReplicas < Math.max(1, a.minReplicas))
    problems.push(`--max-replicas ${a.maxReplicas} is below --min-replicas (or 1)`);
  return a;
}

function defaultTrace(file: string, peak: string): string {
  const name = file.replace(/^.*\//, '').replace(/\.parquet$/, '');
  return join(REPO_ROOT, '.cache', 'capacity', `trace-${name}-${peak}.csv`);
}
