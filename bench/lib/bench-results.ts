import type { PerfToolResult } from './kafka-perf-tools.js';
import type { LoadPoint } from './latency-bench.js';
import type { PeerRun } from './peer-bench.js';
import type { PipelineRun } from './pipeline-bench.js';
import type { ProducerCliResult } from './producer-cli.js';

/** Everything one run measured: written as bench/results/<timestamp>.json. */
export interface BenchResults {
  mode: string;
  at: string;
  machine: Record<string, unknown>;
  versions: Record<string, string>;
  broker: string;
  load_average_start: string;
  load_average_end: string;
  events: number;
  event_bytes: number;
  /** Key + value + content-type header: the record size given to ProducerPerformance. */
  record_bytes: number;
  consumer_env: Record<string, string>;
  ceiling: { producer?: PerfToolResult; consumer?: PerfToolResult };
  producer_cli: ProducerCliResult[];
  pipeline: PipelineRun[];
  latency: LoadPoint[];
  peers: PeerRun[];
  notes: string[];
  goals: Goal[];
  wall_seconds: number;
}

export interface Goal {
  goal: string;
  figure: string;
  met: boolean | undefined;
}

/** The goals, as figures: reported, never asserted. */
export function evaluateGoals(r: Omit<BenchResults, 'goals'>): Goal[] {
  const ours = r.pipeline.find((p) => p.consumers === 1);
  const peer = (name: string) => r.peers.find((p) => p.peer === name)?.events_per_s;
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : a / b;
  const goals: Goal[] = [];
  const add = (goal: string, value: number | undefined, target: number, unit: string, atMost = false) => {
    const met = value === undefined ? undefined : atMost ? value <= target : value >= target;
    goals.push({ goal, figure: value === undefined ? 'not measured' : `${value.toFixed(2)}${unit}`, met });
  };
  add('≥ 10× the course-style peer (events/s)', ratio(ours?.events_per_s, peer('course')), 10, '×');
  add('≥ 1.5× the batched Python peer (events/s)', ratio(ours?.events_per_s, peer('batched')), 1.5, '×');
  const tool = r.ceiling.consumer?.records_per_s;
  const share = ratio(ours?.events_per_s, tool);
  add('≥ 30% of ConsumerPerformance (events/s)', share === undefined ? undefined : share * 100, 30, '%');
  const at5k = r.latency.find((p) => p.offered_per_s === 5000)?.latency_ms.p99;
  add('p99 end-to-end ≤ 25 ms at 5k events/s', at5k, 25, ' ms', true);
  const rss = r.pipeline.length === 0 ? undefined : Math.max(...r.pipeline.map((p) => p.peak_rss_mb));
  add('consumer peak RSS ≤ 250 MB', rss, 250, ' MB', true);
  return goals;
}
