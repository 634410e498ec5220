import { BrokerError } from '../../errors.js';
import type { TopicSpec } from '../port/kafka-port.js';

/** Leader ids per partition of each topic asked for (a topic not yet known is left out; -1 = no leader yet). */
export type ReadLeaders = (topics: string[]) => Promise<Map<string, number[]>>;

/** Errors a broker answers for a topic it created a moment ago, until its metadata and partitions have caught up. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/**
 * Waits until every partition of freshly created topics has a leader. A KRaft broker can answer
 * UNKNOWN_TOPIC_OR_PARTITION for a topic it created a moment ago (its metadata cache lags the controller), and the
 * named leader NOT_LEADER_FOR_PARTITION until it has loaded the partition, so those errors (by their `type`) mean
 * "not yet"; any other fails at once.
 */
export async function waitForLeaders(
  readLeaders: ReadLeaders,
  specs: readonly TopicSpec[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const leaders = await readLeaders(specs.map((s) => s.topic));
      const missing = specs.filter((spec) => {
        const partitions = leaders.get(spec.topic) ?? [];
        return partitions.length < spec.numPartitions || partitions.some((leader) => leader < 0);
      });
      if (missing.length === 0) return;
      last = `no leader yet for ${missing.map((s) => s.topic).join(', ')}`;
    } catch (err) {
      if (!NOT_YET.has((err as { type?: string }).type ?? '')) throw err;
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new BrokerError(
    `topics ${specs.map((s) => s.topic).join(', ')} have no leaders after ${timeoutMs} ms (${last})`,
  );
}
