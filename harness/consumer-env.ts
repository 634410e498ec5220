import { MODEL_DIR } from './repo-paths.js';
import type { StreamTopics } from './topics.js';

/** The environment of a scoring consumer (consumer/dist/stream/main.js) on these topics, group and HTTP port. */
export function consumerEnv(
  brokers: readonly string[],
  topics: StreamTopics,
  groupId: string,
  port: number,
): Record<string, string> {
  return {
    KAFKA_BROKERS: brokers.join(','),
    RIDES_TOPIC: topics.rides,
    PREDICTIONS_TOPIC: topics.predictions,
    DLQ_TOPIC: topics.deadLetters,
    CONSUMER_GROUP: groupId,
    MODEL_PATH: MODEL_DIR,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
  };
}
