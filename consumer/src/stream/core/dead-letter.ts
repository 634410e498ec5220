import { Headers, type OutRecord, type RecordHeaders, type RideError } from '@ride/shared';
import type { InputMessage, RecordSource } from './input-message.js';

/** The dead letter for one input: its original key, bytes and headers, plus why and where it failed. */
export function deadLetter(
  input: InputMessage,
  source: RecordSource,
  error: RideError,
  now: number,
): OutRecord {
  const headers: RecordHeaders = {
    ...input.headers,
    [Headers.errorCode]: error.code,
    [Headers.errorMessage]: error.message.slice(0, 1000),
    [Headers.sourceTopic]: source.topic,
    [Headers.sourcePartition]: String(source.partition),
    [Headers.sourceOffset]: input.offset,
    [Headers.failedAt]: new Date(now).toISOString(),
  };
  return { key: input.key, value: input.value, headers };
}
