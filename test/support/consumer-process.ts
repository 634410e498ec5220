import type { ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { type StreamTopics, startStreamScorer } from '../../harness/index.js';
import { killAfterTest } from './kill-after-test.js';

export interface ConsumerProcess {
  child: ChildProcess;
  port: number;
  /** Everything the process wrote (pino JSON lines and stderr). */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
  get(path: string): Promise<{ status: number; body: string }>;
}

/** Starts the stream scorer against the test broker (harness launcher); killed at the end of the test. */
export async function startConsumer(
  topics: StreamTopics,
  groupId: string,
  env: Record<string, string> = {},
  options: { waitReady?: boolean } = {},
): Promise<ConsumerProcess> {
  const scorer = await startStreamScorer({
    brokers: inject('kafkaBrokers'),
    topics,
    groupId,
    // TEST_CONSUMER_LOG_LEVEL=debug (with KAFKAJS_LOG_LEVEL=debug) when a test needs the members' full story.
    env: { LOG_LEVEL: process.env.TEST_CONSUMER_LOG_LEVEL ?? 'info', ...env },
  });
  const { child, output, exited } = killAfterTest(scorer.run);
  const handle: ConsumerProcess = {
    child,
    port: scorer.port,
    output,
    exited,
    get: scorer.get,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady !== false) await scorer.ready({ timeoutMs: 30_000 });
  return handle;
}
