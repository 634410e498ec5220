import { inject } from 'vitest';
import { type StreamTopics, startProducer } from '../../harness/index.js';
import { killAfterTest } from './kill-after-test.js';

/** Runs the real producer CLI to completion; resolves with its exit code and output. */
export async function runProducer(
  args: string[],
  topics: StreamTopics,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const run = killAfterTest(
    startProducer({
      brokers: inject('kafkaBrokers'),
      ridesTopic: topics.rides,
      args,
      env: { LOG_LEVEL: 'info', ...env },
    }),
  );
  const code = await run.exited;
  return { code, output: run.output() };
}
