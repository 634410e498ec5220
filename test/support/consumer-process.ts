import type { ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { consumerEnv, freePort, type StreamTopics, spawnNode, waitFor } from '../../harness/index.js';
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

/** Starts the real consumer binary (compiled) against the test broker; killed at the end of the test. */
export async function startConsumer(
  topics: StreamTopics,
  groupId: string,
  env: Record<string, string> = {},
  options: { waitReady?: boolean } = {},
): Promise<ConsumerProcess> {
  const port = await freePort();
  const {
    child,
    output: read,
    exited,
  } = killAfterTest(
    spawnNode('consumer/dist/stream/main.js', [], {
      ...consumerEnv(inject('kafkaBrokers'), topics, groupId, port),
      // TEST_CONSUMER_LOG_LEVEL=debug (with KAFKAJS_LOG_LEVEL=debug) when a test needs the members' full story.
      LOG_LEVEL: process.env.TEST_CONSUMER_LOG_LEVEL ?? 'info',
      ...env,
    }),
  );
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: await res.text() };
  };
  const handle: ConsumerProcess = {
    child,
    port,
    output: read,
    exited,
    get,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady === false) return handle;
  await waitFor(
    async () => (await get('/readyz').catch(() => ({ status: 0 }))).status === 200,
    30_000,
    () => `consumer never became ready:\n${read()}`,
  );
  return handle;
}
