import type { KafkaClient } from '@ride/shared';
import type { StreamTopics } from '../../harness/index.js';
import { type CollectOptions, collectRecords, type RawRecord } from './collect-records.js';
import { disconnectAfterTest } from './test-kafka.js';

export interface DeliveryReport {
  inputs: RawRecord[];
  /** Ride keys with no prediction and no dead letter. */
  lost: string[];
  /**
   * Extra outputs for keys already answered (at-least-once redelivery): outputs of a ride beyond its copies in the
   * input, so a ride the producer wrote twice is not charged to the scorer.
   */
  duplicates: number;
  /** Rides written to the input more than once (a producer's retry that idempotence should have kept out). */
  inputDuplicates: number;
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
  const letters = await collectRecords(kafka, topics.deadLetters, { quietMs: 2000, isolation });
  // read_committed: a member killed inside a transaction holds the output partitions' last stable offset until the
  // coordinator aborts it (transaction timeout 10 s, then the broker's sweep), so committed outputs after it show
  // only then; a reader that stopped after 2 s of quiet judged them lost. Exactly-once answers every input once
  // (none twice among committed outputs), so the reader waits for one output per input not dead-lettered (a
  // missing one shows as lost at the timeout), then 2 s more to see any extra.
  const predictions = await collectRecords(kafka, topics.predictions, {
    quietMs: 2000,
    isolation,
    ...(isolation === 'read_committed' ? { count: inputs.length - letters.length } : {}),
  });
  const answered = tally([...predictions, ...letters]);
  const copies = tally(inputs);
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  const committed = await admin.committedOffsets(groupId, topics.rides);
  return {
    inputs,
    lost: inputs.filter((r) => !answered.has(r.key ?? '')).map((r) => r.key ?? ''),
    duplicates: [...answered].reduce((sum, [key, n]) => sum + Math.max(0, n - (copies.get(key) ?? 1)), 0),
    inputDuplicates: [...copies.values()].reduce((sum, n) => sum + n - 1, 0),
    committedWithoutOutcome: inputs.filter(
      (r) => BigInt(r.offset) < (committed.get(r.partition) ?? -1n) && !answered.has(r.key ?? ''),
    ),
  };
}

/** Records per key. */
function tally(records: readonly RawRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.key ?? '', (counts.get(r.key ?? '') ?? 0) + 1);
  return counts;
}
