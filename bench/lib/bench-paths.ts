import { join } from 'node:path';
import { REPO_ROOT } from '../../harness/index.js';

export const BENCH_DIR = join(REPO_ROOT, 'bench');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
export const PEERS_DIR = join(BENCH_DIR, 'peers');
export const PEERS_PYTHON = join(PEERS_DIR, '.venv', 'bin', 'python');
export const MODELS_PYTHON = join(REPO_ROOT, 'models', '.venv', 'bin', 'python');

/** `2026-11-25T16-04-05Z`: sortable and safe in file names. */
export function timestampName(date: Date = new Date()): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
}
