import {
  type Child,
  type StreamTopics,
  startStreamScorer,
  waitReady as waitForReadyz,
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

/** Starts the stream scorer (the deployable, compiled) through the harness launcher, reading from the beginning. */
export async function startConsumer(
  brokers: readonly string[],
  topics: StreamTopics,
  group: string,
  launch: ConsumerLaunch,
): Promise<ConsumerProcess> {
  const { run, port } = await startStreamScorer({
    brokers,
    topics,
    groupId: group,
    baseEnv: launch.env,
    nodeArgs: launch.nodeArgs,
    env: { LOG_LEVEL: 'warn', FROM_BEGINNING: 'true', ...launch.extraEnv },
  });
  return { tracked: run, port };
}

/** Waits until the consumer is in its group, failing if it exits first. */
export async function waitReady(consumer: ConsumerProcess, timeoutMs = 60_000): Promise<void> {
  await waitForReadyz(consumer.tracked, consumer.port, { timeoutMs });
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
