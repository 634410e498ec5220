import type { KafkaClient, RecordHeaders } from '@ride/shared';
import { uniqueName, waitFor } from '../../harness/index.js';
import { disconnectAfterTest } from './test-kafka.js';

export interface RawRecord {
  partition: number;
  offset: string;
  /** Epoch ms, as fetched. */
  timestamp: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface CollectOptions {
  /**
   * Stop once this many records arrived, or after quietMs without new ones; with both, once this many arrived and
   * then quietMs passed without new ones (so extra records past the count are read too).
   */
  count?: number;
  quietMs?: number;
  timeoutMs?: number;
  isolation?: 'read_committed' | 'read_uncommitted';
}

/** Reads a topic from the beginning (a fresh group) and returns its records with headers as strings. */
export async function collectRecords(
  kafka: KafkaClient,
  topic: string,
  options: CollectOptions = {},
): Promise<RawRecord[]> {
  const consumer = disconnectAfterTest(
    kafka.consumer({
      groupId: uniqueName('reader'),
      readCommitted: options.isolation === 'read_committed',
    }),
  );
  const records: RawRecord[] = [];
  let lastArrival = Date.now();
  await consumer.connect();
  await consumer.subscribe(topic, { fromBeginning: true });
  await consumer.run({
    eachBatch: async (batch) => {
      for (const m of batch.messages) {
        records.push({
          partition: batch.partition,
          offset: m.offset,
          timestamp: m.timestamp,
          key: m.key?.toString() ?? null,
          value: m.value,
          headers: stringHeaders(m.headers),
        });
        batch.resolveOffset(m.offset);
      }
      lastArrival = Date.now();
    },
  });
  const started = Date.now();
  const { count, timeoutMs = 90_000 } = options;
  const quietMs = options.quietMs ?? (count === undefined ? 3000 : 0);
  const quiet = (): boolean => Date.now() - lastArrival > quietMs && Date.now() - started > quietMs;
  const enough = (): boolean => (count === undefined || records.length >= count) && quiet();
  // At the timeout the reader returns what arrived, and the caller's assertions say what is missing.
  await waitFor(
    () => enough() || Date.now() - started >= timeoutMs,
    Number.POSITIVE_INFINITY,
    () => `${records.length} records read from ${topic}`,
  );
  await consumer.stop();
  return records;
}

export function stringHeaders(headers: RecordHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}
