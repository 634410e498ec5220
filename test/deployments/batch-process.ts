import { join } from 'node:path';
import { REPO_ROOT, runToExit } from '../../harness/index.js';

export const BATCH_MAIN = join(REPO_ROOT, 'consumer/dist/batch/main.js');

/** Runs the compiled batch CLI to completion. */
export function runBatch(args: readonly string[]) {
  return runToExit(process.execPath, [BATCH_MAIN, ...args], { cwd: REPO_ROOT });
}
