import { join } from 'node:path';
import { type RunResult, runToExit } from '../child-process.js';
import { REPO_ROOT } from '../repo-paths.js';

/** The batch scorer's entry point, compiled. */
export const BATCH_SCORER_MAIN = 'consumer/dist/batch/main.js';

/** Runs the batch scorer CLI to completion with these arguments. */
export function runBatchScorer(args: readonly string[]): Promise<RunResult> {
  return runToExit(process.execPath, [join(REPO_ROOT, BATCH_SCORER_MAIN), ...args], { cwd: REPO_ROOT });
}
