// Fetched record batches of @platformatic/kafka as our InRecords, in one pass over their records.
import { IS_CONTROL, type RecordsBatch } from '@platformatic/kafka';
import type { InRecord, RecordHeaders } from './kafka-port.js';

/** Record batch attribute bit 3: the broker's LogAppendTime, whose records carry the batch's max timestamp. */
const LOG_APPEND_TIME = 0b1000;
/** Offsets below this are added as numbers: a bigint addition and toString per record cost more. */
const SAFE_OFFSET = BigInt(Number.MAX_SAFE_INTEGER - 2 ** 31);

/**
 * The records of fetched record batches from offset `from` (a batch may start before it), with the position after
 * them: past control records and aborted transactions too, so a partition whose tail is a marker moves on.
 */
export function batchRecords(
  batches: readonly RecordsBatch[],
  from: bigint,
): { messages: InRecord[]; next: bigint } {
  const messages: InRecord[] = [];
  let next = from;
  for (const batch of batches) {
    const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
    if (end > next) next = end;
    if ((batch.attributes & IS_CONTROL) !== 0) continue;
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
