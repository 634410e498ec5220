import { spawn } from 'node:child_process';
import { inject, onTestFinished } from 'vitest';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { CONSUMER_MAIN, MODEL_DIR } from '../streaming/consumer-process.js';
import type { StreamTopics } from '../streaming/stream-topics.js';

/** Runs the consumer binary for a start-up that must fail (bad model, refused credentials) until it exits. */
export function runConsumerToExit(
  topics: StreamTopics,
  groupId: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CONSUMER_MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      RIDES_TOPIC: topics.rides,
      PREDICTIONS_TOPIC: topics.predictions,
      DLQ_TOPIC: topics.deadLetters,
      CONSUMER_GROUP: groupId,
      MODEL_PATH: MODEL_DIR,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  // A consumer that does not give up on its own is a failure too: kill it and say so.
  const timer = setTimeout(() => {
    output += `\n[test] still running after ${timeoutMs} ms: killed`;
    child.kill('SIGKILL');
  }, timeoutMs);
  onTestFinished(() => {
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}
