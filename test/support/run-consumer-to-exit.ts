import { inject, onTestFinished } from 'vitest';
import { type StreamTopics, startStreamScorer } from '../../harness/index.js';
import { killAfterTest } from './kill-after-test.js';

/** Runs the stream scorer for a start-up that must fail (bad model, refused credentials) until it exits. */
export async function runConsumerToExit(
  topics: StreamTopics,
  groupId: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const { run } = await startStreamScorer({ brokers: inject('kafkaBrokers'), topics, groupId, env, port: 0 });
  killAfterTest(run);
  // A consumer that does not give up on its own is a failure too: kill it and say so.
  let note = '';
  const timer = setTimeout(() => {
    note = `\n[test] still running after ${timeoutMs} ms: killed`;
    run.child.kill('SIGKILL');
  }, timeoutMs);
  onTestFinished(() => clearTimeout(timer));
  const code = await run.exited;
  clearTimeout(timer);
  return { code, output: run.output() + note };
}
