import type { BatchSummary } from './score-file.js';

/** The human summary: what was scored, how well, how fast. */
export function formatSummary(s: BatchSummary): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    `${s.complete ? 'scored' : 'stopped by a signal, scored part of'} ${s.input} with ${s.model.name} ${s.model.version} → ${s.output}`,
    `  rows: ${n(s.rowsRead)} read, ${n(s.rowsWritten)} written after cleaning (1..60 min), ${n(s.rowsRefused)} refused by the model`,
    `  RMSE vs actual: ${s.rmse.toFixed(3)} min`,
    `  time: ${s.seconds.toFixed(2)} s, ${n(s.rowsPerSecond)} rows/s`,
  ].join('\n');
}
