import { BrokerError, ErrorCodes } from '../errors.js';
import type { Admin } from './kafka-client.js';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor?: number;
}

/** Errors a broker answers for a topic it created a moment ago, until its metadata has caught up. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Creates topics and waits until every partition has a leader. kafkajs's own `waitForLeaders` retries only
 * LEADER_NOT_AVAILABLE, but a KRaft broker can answer UNKNOWN_TOPIC_OR_PARTITION for a topic it created a moment
 * ago (its metadata cache lags the controller), and kafkajs then fails the whole call (seen in `npm test`).
 * Returns false when every topic already existed.
 */
export async function createTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  timeoutMs = 30_000,
): Promise<boolean> {
  const created = await admin.createTopics({ topics: [...specs], waitForLeaders: false });
  const deadline = Date.now() + timeoutMs;
  let last = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
      const missing = specs.filter((spec) => {
        const partitions = topics.find((t) => t.name === spec.topic)?.partitions ?? [];
        return partitions.length < spec.numPartitions || partitions.some((p) => p.leader < 0);
      });
      if (missing.length === 0) return created;
      last = `no leader yet for ${missing.map((s) => s.topic).join(', ')}`;
    } catch (err) {
      if (!NOT_YET.has((err as { type?: string }).type ?? '')) throw err;
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new BrokerError(
    ErrorCodes.BROKER_UNAVAILABLE,
    `topics ${specs.map((s) => s.topic).join(', ')} have no leaders after ${timeoutMs} ms (${last})`,
  );
}
