import type { ClusterRun } from './cluster-bench.js';
import type { PerfToolResult } from './kafka-perf-tools.js';
import type { LoadPoint } from './latency-bench.js';
import type { LeverRun } from './lever-bench.js';
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
  /** Key + framed value: the record size given to ProducerPerformance. */
  record_bytes: number;
  consumer_env: Record<string, string>;
  ceiling: { producer?: PerfToolResult; consumer?: PerfToolResult };
  producer_cli: ProducerCliResult[];
  pipeline: PipelineRun[];
  latency: LoadPoint[];
  levers: LeverRun[];
  peers: PeerRun[];
  /** The same pipeline on a local three-node cluster; absent when not measured (smoke, or KAFKA_BROKERS given). */
  cluster?: ClusterRun;
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
  add('one process ≤ 35 CPU s per 1M rides', ours?.cpu_s_per_million, 35, ' s', true);
  add('≥ 2× the batched Python peer (events/s)', ratio(ours?.events_per_s, peer('batched')), 2, '×');
  add('≥ 10× the course-style peer (events/s)', ratio(ours?.events_per_s, peer('course')), 10, '×');
  const at5k = r.latency.find((p) => p.offered_per_s === 5000);
  const over = at5k === undefined ? undefined : at5k.latency_ms.p99 - at5k.kafka_only_ms.p99;
  add("p99 at 5k ev/s within 25 ms of the Kafka-only reader's p99", over, 25, ' ms over', true);
  const sustained = r.latency.filter((p) => p.sustained).map((p) => p.offered_per_s);
  add(
    'highest sustained load ≥ 25k ev/s (one process)',
    sustained.length === 0 ? undefined : Math.max(...sustained),
    25_000,
    ' ev/s',
  );
  const rss = r.pipeline.length === 0 ? undefined : Math.max(...r.pipeline.map((p) => p.peak_rss_mb));
  add('consumer peak RSS ≤ 200 MB', rss, 200, ' MB', true);
  return goals;
}
