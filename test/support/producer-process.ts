import { inject } from 'vitest';
import { type StreamTopics, spawnNode } from '../../harness/index.js';
import { killAfterTest } from './kill-after-test.js';

/** Runs the real producer CLI to completion; resolves with its exit code and output. */
export async function runProducer(
  args: string[],
  topics: StreamTopics,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const run = killAfterTest(
    spawnNode('producer/dist/main.js', args, {
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      RIDES_TOPIC: topics.rides,
      LOG_LEVEL: 'info',
      ...env,
    }),
  );
  const code = await run.exited;
  return { code, output: run.output() };
}
