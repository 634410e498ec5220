import { join } from 'node:path';
import { REPO_ROOT } from '../../harness/repo-paths.js';
import { runCommand } from '../../harness/run-command.js';

export const BATCH_MAIN = join(REPO_ROOT, 'consumer/dist/batch/main.js');

/** Runs the compiled batch CLI to completion. */
export function runBatch(args: readonly string[]) {
  return runCommand(process.execPath, [BATCH_MAIN, ...args], REPO_ROOT);
}
