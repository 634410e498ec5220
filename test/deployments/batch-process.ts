import { join } from 'node:path';
import { runToExit } from '../../harness/child-process.js';
import { REPO_ROOT } from '../../harness/repo-paths.js';

export const BATCH_MAIN = join(REPO_ROOT, 'consumer/dist/batch/main.js');

/** Runs the compiled batch CLI to completion. */
export function runBatch(args: readonly string[]) {
  return runToExit(process.execPath, [BATCH_MAIN, ...args], { cwd: REPO_ROOT });
}
