import type { KafkaAdmin } from '@ride/shared';
import { waitFor } from '../../harness/index.js';

/** Creates topics (all with the same partition count) and waits until their offsets can be listed. */
export async function createTopics(
  admin: KafkaAdmin,
  names: readonly string[],
  partitions: number,
): Promise<void> {
  await admin.createTopics(
    names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
  );
  for (const topic of names) await recordCount(admin, topic);
}

/**
 * Records in a topic: the sum of its partitions' end offsets (our topics start at offset 0, no deletes).
 * Retries retriable errors: just after a topic is created, kafkajs' admin may still hold leader metadata from
 * before the election and get NOT_LEADER_FOR_PARTITION until its next refresh.
 */
export async function recordCount(admin: KafkaAdmin, topic: string): Promise<number> {
  let count = 0;
  let lastError: unknown;
  await waitFor(
    async () => {
      try {
        const offsets = await admin.endOffsets(topic);
        count = Number([...offsets.values()].reduce((sum, end) => sum + end, 0n));
        return true;
      } catch (err) {
        if ((err as { retriable?: boolean }).retriable !== true) throw err;
        lastError = err;
        return false;
      }
    },
    5_000,
    () => (lastError instanceof Error ? lastError : String(lastError)),
  );
  return count;
}

let sequence = 0;
/** A topic or group name unique within this run. */
export function uniqueName(prefix: string): string {
  sequence += 1;
  return `bench-${prefix}-${process.pid}-${sequence}`;
}
