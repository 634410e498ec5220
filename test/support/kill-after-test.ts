import { onTestFinished } from 'vitest';
import type { Child } from '../../harness/index.js';

/** Registers a SIGKILL at the end of the current test, so no test leaves a process behind, failing or not. */
export function killAfterTest<T extends Pick<Child, 'kill'>>(run: T): T {
  onTestFinished(() => run.kill());
  return run;
}
