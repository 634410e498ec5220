import type { KafkaClient } from '@ride/shared';
import { collectRecords } from '../collect-records.js';

export interface TopicTally {
  records: number;
  unique: Set<string>;
  duplicates: number;
}

/** What actually landed on a topic: records, distinct keys (ride ids), and keys written more than once. */
export async function tallyTopic(kafka: KafkaClient, topic: string, records: number): Promise<TopicTally> {
  const read = await collectRecords(kafka, topic, { count: records, timeoutMs: 120_000 });
  const unique = new Set(read.map((r) => r.key ?? ''));
  return { records: read.length, unique, duplicates: read.length - unique.size };
}
