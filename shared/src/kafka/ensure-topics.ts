import type { Logger } from '../logger.js';
import type { KafkaClient } from './port/kafka-port.js';
import type { TopicSettings } from './port/topic-settings.js';

/**
 * Creates the rides, predictions and dead-letter topics (and `extra` ones, e.g. a shadow topic) when missing, with
 * the configured partitions; existing topics are left as they are.
 */
export async function ensureTopics(
  kafka: KafkaClient,
  topics: TopicSettings,
  logger: Logger,
  extra: readonly string[] = [],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [topics.rides, topics.predictions, topics.deadLetters, ...extra].filter(
      (t) => !existing.has(t),
    );
    if (wanted.length === 0) return;
    await admin.createTopics(
      wanted.map((topic) => ({
        topic,
        numPartitions: topics.partitions,
        replicationFactor: topics.replicationFactor,
      })),
    );
    logger.info({ topics: wanted, partitions: topics.partitions }, 'created topics');
  } finally {
    await admin.disconnect();
  }
}
