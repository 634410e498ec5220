import type { KafkaClient } from '@ride/shared';
import { type StreamTopics, streamTopicNames, uniqueName } from '../../harness/index.js';
import { disconnectAfterTest } from './test-kafka.js';

/** Fresh rides / predictions / dead-letter topics for one test. */
export async function createStreamTopics(kafka: KafkaClient, partitions = 6): Promise<StreamTopics> {
  const topics = streamTopicNames(uniqueName('s'));
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  await admin.createTopics(Object.values(topics).map((topic) => ({ topic, numPartitions: partitions })));
  return topics;
}
