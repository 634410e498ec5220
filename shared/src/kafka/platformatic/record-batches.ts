// Fetched record batches of @platformatic/kafka as our InRecords, in one pass over their records.
import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from '@platformatic/kafka';
import type { InRecord, RecordHeaders } from '../port/kafka-port.js';

/** Record batch attribute bit 3: the broker's LogAppendTime, whose records carry the batch's max timestamp. */
const LOG_APPEND_TIME = 0b1000;
/** Offsets below this are added as numbers: a bigint addition and toString per record cost more. */
const SAFE_OFFSET = BigInt(Number.MAX_SAFE_INTEGER - 2 ** 31);

/** A transaction the broker reports aborted in a read_committed fetch: its producer's batches from `firstOffset`. */
export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

/**
 * The records of fetched record batches from offset `from` (a batch may start before it), with the position after
 * them: past control records and aborted transactions too, so a partition whose tail is a marker moves on.
 *
 * `aborted` is the fetch response's list (read_committed). A batch of such a producer from its first offset until
 * the producer's abort marker is aborted, whether or not the marker is in this response: the broker lists only
 * transactions that ended, below the last stable offset. (@platformatic/kafka's own filter keeps those batches when
 * the marker falls in a later response: a chaos run counted the aborted outputs of fenced zombies as delivered.)
 */
export function batchRecords(
  batches: readonly RecordsBatch[],
  from: bigint,
  aborted: readonly AbortedTransaction[] = [],
): { messages: InRecord[]; next: bigint } {
  const messages: InRecord[] = [];
  let next = from;
  const starts = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  let started = 0;
  /** Producers inside an aborted transaction at the current batch. */
  const aborting = new Set<bigint>();
  for (const batch of batches) {
    const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
    if (end > next) next = end;
    while (started < starts.length && starts[started]!.firstOffset < end) {
      aborting.add(starts[started]!.producerId);
      started += 1;
    }
    if ((batch.attributes & IS_CONTROL) !== 0) {
      if (isAbortMarker(batch)) aborting.delete(batch.producerId);
      continue;
    }
    if ((batch.attributes & IS_TRANSACTIONAL) !== 0 && aborting.has(batch.producerId)) continue;
    const small = batch.firstOffset < SAFE_OFFSET;
    const first = Number(batch.firstOffset);
    const appendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
    const firstTimestamp = Number(batch.firstTimestamp);
    for (const record of batch.records) {
      const offset = small ? first + record.offsetDelta : batch.firstOffset + BigInt(record.offsetDelta);
      if (offset < from) continue;
      messages.push({
        offset: String(offset),
        timestamp: appendTime
          ? String(batch.maxTimestamp)
          : String(firstTimestamp + Number(record.timestampDelta)),
        key: record.key ?? null,
        value: record.value ?? null,
        headers: recordHeaders(record.headers),
      });
    }
  }
  return { messages, next };
}

/** A control batch's record key is version (int16) then type (int16): 0 abort, 1 commit. */
function isAbortMarker(batch: RecordsBatch): boolean {
  const key = batch.records[0]?.key;
  return key !== null && key !== undefined && key.length >= 4 && key.readInt16BE(2) === 0;
}

/** The port's headers: names as strings, a repeated name as an array of its values in order. */
export function recordHeaders(headers: readonly [Buffer | null, Buffer | null][]): RecordHeaders {
  const out: RecordHeaders = {};
  for (const [name, value] of headers) {
    if (name === null) continue;
    const key = name.toString('utf8');
    const one = value ?? Buffer.alloc(0);
    const seen = out[key];
    if (seen === undefined) out[key] = one;
    else if (Array.isArray(seen)) seen.push(one);
    else out[key] = [seen, one];
  }
  return out;
}
