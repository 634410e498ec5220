import type { KafkaAdmin, Logger } from '@ride/shared';
import { createTopics, uniqueName } from '../../harness/index.js';
import {
  type ConsumerLaunch,
  type ConsumerProcess,
  scrapeMetric,
  startConsumer,
} from './consumer-process.js';
import { type ThroughputResult, watchOutput } from './output-watch.js';
import { ProcessSampler } from './proc-stats.js';

export interface PipelineRun extends ThroughputResult {
  consumers: number;
  /** ride_events_in_total over all processes, as a cross-check of the offsets. */
  events_in_metric: number;
}

/**
 * Times `consumers` scoring processes (one group, fresh output topics) through the preloaded rides topic:
 * from the first prediction written to the last one acknowledged, with CPU and peak RSS from /proc.
 */
export async function runPipeline(
  admin: KafkaAdmin,
  brokers: readonly string[],
  rides: string,
  events: number,
  consumers: number,
  launch: ConsumerLaunch,
  logger: Logger,
): Promise<PipelineRun> {
  const topics = { rides, predictions: uniqueName('predictions'), deadLetters: uniqueName('dlq') };
  await createTopics(admin, [topics.predictions, topics.deadLetters], 6);
  const group = uniqueName('scorer');
  const processes: ConsumerProcess[] = [];
  try {
    for (let i = 0; i < consumers; i++) processes.push(await startConsumer(brokers, topics, group, launch));
    const samplers = processes.map((p) => new ProcessSampler(p.tracked.pid));
    logger.info({ consumers, events }, 'pipeline run started');
    const result = await watchOutput({
      admin,
      topics: [topics.predictions, topics.deadLetters],
      target: events,
      samplers,
      died: Promise.race(processes.map((p) => p.tracked.exited)),
    }).catch((err: Error) => {
      const stderr = processes.map((p) => p.tracked.stderr().slice(-1500)).join('\n');
      throw new Error(`${err.message}\nconsumer stderr:\n${stderr}`);
    });
    const counts = await Promise.all(processes.map((p) => scrapeMetric(p, 'ride_events_in_total')));
    return { ...result, consumers, events_in_metric: counts.reduce((a, b) => a + b, 0) };
  } finally {
    await Promise.all(processes.map((p) => p.tracked.stop()));
  }
}
