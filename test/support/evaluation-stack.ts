import type { KafkaAdmin, KafkaClient } from '@ride/shared';
import { inject } from 'vitest';
import { type EvaluatorOptions, type StreamTopics, uniqueName } from '../../harness/index.js';
import { runProducer } from './producer-process.js';
import { createStreamTopics } from './stream-topics.js';
import { disconnectAfterTest } from './test-kafka.js';

/** The topics of a stream with ground truth: rides, predictions and dead letters, completions, evaluations. */
export interface EvaluationTopics {
  stream: StreamTopics;
  completions: string;
  evaluations: string;
  admin: KafkaAdmin;
}

/** Fresh topics for one test, completions co-partitioned with the predictions (6 partitions each). */
export async function createEvaluationTopics(kafka: KafkaClient): Promise<EvaluationTopics> {
  const stream = await createStreamTopics(kafka);
  const completions = uniqueName('s.completions');
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  await admin.createTopics([{ topic: completions, numPartitions: 6 }]);
  return { stream, completions, evaluations: uniqueName('s.evaluations'), admin };
}

/** The evaluator on those topics, in a fresh group. */
export function evaluatorOn(topics: EvaluationTopics, env: Record<string, string> = {}): EvaluatorOptions {
  return {
    brokers: inject('kafkaBrokers'),
    predictionsTopic: topics.stream.predictions,
    completionsTopic: topics.completions,
    evaluationsTopic: topics.evaluations,
    groupId: uniqueName('evaluator'),
    env: { LOG_LEVEL: 'info', ...env },
  };
}

/** The producer CLI replaying a TLC file's rides and completions at 30,000× their pace (six days in ~20 s). */
export function replayWithCompletions(
  topics: EvaluationTopics,
  file: string,
  rows: { offset?: number; limit: number },
) {
  return runProducer(
    [
      '--file',
      file,
      '--offset',
      String(rows.offset ?? 0),
      '--limit',
      String(rows.limit),
      '--speedup',
      '30000',
      '--completions',
    ],
    topics.stream,
    { COMPLETIONS_TOPIC: topics.completions },
  );
}
