import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';

export type Guarantee = 'at_least_once' | 'exactly_once';

/** One row of the closing table: a fault injected `repetitions` times into one stream of `events` rides. */
export interface FaultRow {
  fault: string;
  guarantee: Guarantee;
  repetitions: number;
  events: number;
  lost: number;
  /** Extra outputs for rides already answered (read_committed in exactly-once mode). */
  duplicates: number;
  /** Fault → every partition committing again, per repetition. */
  recoveryMs: number[];
}

const HEADER =
  '| fault | guarantee | repetitions | events | lost | duplicated | recovery (median / max) |\n|---|---|---:|---:|---:|---:|---|';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function recovery(ms: readonly number[]): string {
  if (ms.length === 0) return '–';
  const sorted = [...ms].sort((a, b) => a - b);
  return `${seconds(sorted[Math.floor((sorted.length - 1) / 2)]!)} / ${seconds(sorted[sorted.length - 1]!)}`;
}

export function renderFaultTable(rows: readonly FaultRow[]): string {
  const lines = rows.map((r) => {
    const mode = r.guarantee === 'exactly_once' ? 'EOS' : 'ALO';
    return `| ${r.fault} | ${mode} | ${r.repetitions} | ${r.events} | ${r.lost} | ${r.duplicates} | ${recovery(r.recoveryMs)} |`;
  });
  return [HEADER, ...lines].join('\n');
}

/** Prints the row and, under `npm run test:chaos`, appends it to the run's results file for the final table. */
export function reportFault(row: FaultRow): void {
  console.warn(`[chaos] ${JSON.stringify(row)}`);
  const file = inject('chaosResultsFile');
  if (file !== undefined) appendFileSync(file, `${JSON.stringify(row)}\n`);
}
