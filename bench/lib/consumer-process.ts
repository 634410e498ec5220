import { join } from 'node:path';
import {
  type Child,
  consumerEnv,
  freePort,
  REPO_ROOT,
  type StreamTopics,
  spawnChild,
  waitFor,
} from '../../harness/index.js';

/** How consumer processes are started: the environment they inherit, extra settings, node flags. */
export interface ConsumerLaunch {
  env: NodeJS.ProcessEnv;
  extraEnv: Record<string, string>;
  nodeArgs: readonly string[];
}

export interface ConsumerProcess {
  tracked: Child;
  port: number;
}

/** Starts `node consumer/dist/stream/main.js` (the deployable, compiled) configured only through its environment. */
export async function startConsumer(
  brokers: readonly string[],
  topics: StreamTopics,
  group: string,
  launch: ConsumerLaunch,
): Promise<ConsumerProcess> {
  const port = await freePort();
  const main = join(REPO_ROOT, 'consumer', 'dist', 'stream', 'main.js');
  const tracked = spawnChild(process.execPath, [...launch.nodeArgs, main], {
    cwd: REPO_ROOT,
    env: {
      ...launch.env,
      ...consumerEnv(brokers, topics, group, port),
      LOG_LEVEL: 'warn',
      FROM_BEGINNING: 'true',
      ...launch.extraEnv,
    },
  });
  return { tracked, port };
}

/** Polls /readyz until the consumer is in its group (200), failing if it exits first. */
export async function waitReady(consumer: ConsumerProcess, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      if (consumer.tracked.child.exitCode !== null) {
        throw new Error(`consumer exited (${consumer.tracked.child.exitCode}): ${consumer.tracked.stderr()}`);
      }
      return fetch(`http://127.0.0.1:${consumer.port}/readyz`)
        .then((r) => r.status === 200)
        .catch(() => false);
    },
    timeoutMs,
    () => `consumer not ready after ${timeoutMs} ms`,
  );
}

/** One counter or the `_sum`/`_count` of a histogram from the consumer's Prometheus text, summed over labels. */
export async function scrapeMetric(consumer: ConsumerProcess, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${consumer.port}/metrics`).then((r) => r.text());
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (match?.[1] === name) total += Number(match[2]);
  }
  return total;
}
