import type { KafkaAdmin } from '@ride/shared';
import { waitFor } from './wait-for.js';

/** The three topics of one stream: rides in, predictions and dead letters out. */
export interface StreamTopics {
  rides: string;
  predictions: string;
  deadLetters: string;
}

export function streamTopicNames(base: string): StreamTopics {
  return { rides: `${base}.rides`, predictions: `${base}.predictions`, deadLetters: `${base}.dlq` };
}

export type Offsets = Map<number, number>;

// Test and bench topics stay far below 2^53 records: plain numbers keep the arithmetic readable.
const asNumbers = (offsets: Map<number, bigint>): Offsets =>
  new Map([...offsets].map(([partition, offset]) => [partition, Number(offset)]));

/** The group's committed offset per partition of `topic` (-1 where it never committed). */
export async function committedOffsets(admin: KafkaAdmin, groupId: string, topic: string): Promise<Offsets> {
  return asNumbers(await admin.committedOffsets(groupId, topic));
}

/** The log-end offset (high watermark) per partition. */
export async function endOffsets(admin: KafkaAdmin, topic: string): Promise<Offsets> {
  return asNumbers(await admin.endOffsets(topic));
}

/**
 * Records in a topic: the sum of its partitions' end offsets (our topics start at offset 0, no deletes).
 * Retries retriable errors for 5 s: just after a topic is created, kafkajs' admin may still hold leader metadata
 * from before the election and get NOT_LEADER_FOR_PARTITION until its next refresh.
 */
export async function recordCount(admin: KafkaAdmin, topic: string): Promise<number> {
  let count = 0;
  let lastError: unknown;
  await waitFor(
    async () => {
      try {
        count = [...(await endOffsets(admin, topic)).values()].reduce((a, b) => a + Math.max(b, 0), 0);
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
