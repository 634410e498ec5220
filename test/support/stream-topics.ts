import type { KafkaClient } from '@ride/shared';
import { disconnectAfterTest } from './test-kafka.js';
import { uniqueName } from './test-names.js';

export interface StreamTopics {
  rides: string;
  predictions: string;
  deadLetters: string;
}

/** Fresh rides / predictions / dead-letter topics for one test. */
export async function createStreamTopics(kafka: KafkaClient, partitions = 6): Promise<StreamTopics> {
  const base = uniqueName('s');
  const topics = { rides: `${base}.rides`, predictions: `${base}.predictions`, deadLetters: `${base}.dlq` };
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  await admin.createTopics(Object.values(topics).map((topic) => ({ topic, numPartitions: partitions })));
  return topics;
}
