import type { KafkaClient } from '@ride/shared';
import type { StreamTopics } from '../../harness/index.js';
import { type CollectOptions, collectRecords, type RawRecord } from './collect-records.js';
import { disconnectAfterTest } from './test-kafka.js';

export interface DeliveryReport {
  inputs: RawRecord[];
  /** Ride keys with no prediction and no dead letter. */
  lost: string[];
  /** Extra outputs for keys already answered (at-least-once redelivery). */
  duplicates: number;
  /** Inputs below the group's committed offset whose outcome is missing: must always be empty. */
  committedWithoutOutcome: RawRecord[];
}

/** The invariant check: every input ends as a prediction or a dead letter; committed offsets never run ahead. */
export async function checkDelivery(
  kafka: KafkaClient,
  topics: StreamTopics,
  groupId: string,
  expectedInputs: number,
  /** read_committed: judge only what a transactional (exactly-once) pipeline committed. */
  isolation: CollectOptions['isolation'] = 'read_uncommitted',
): Promise<DeliveryReport> {
  const inputs = await collectRecords(kafka, topics.rides, { count: expectedInputs });
  const [predictions, letters] = await Promise.all([
    collectRecords(kafka, topics.predictions, { quietMs: 2000, isolation }),
    collectRecords(kafka, topics.deadLetters, { quietMs: 2000, isolation }),
  ]);
  const answered = new Map<string, number>();
  for (const r of [...predictions, ...letters])
    answered.set(r.key ?? '', (answered.get(r.key ?? '') ?? 0) + 1);
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  const committed = await admin.committedOffsets(groupId, topics.rides);
  return {
    inputs,
    lost: inputs.filter((r) => !answered.has(r.key ?? '')).map((r) => r.key ?? ''),
    duplicates: [...answered.values()].reduce((sum, n) => sum + n - 1, 0),
    committedWithoutOutcome: inputs.filter(
      (r) => BigInt(r.offset) < (committed.get(r.partition) ?? -1n) && !answered.has(r.key ?? ''),
    ),
  };
}
