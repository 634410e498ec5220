import type { InRecord, RecordHeaders } from '@ride/shared';

/** Where a batch of records was fetched from. */
export interface RecordSource {
  topic: string;
  partition: number;
}

/** One fetched Kafka record, as the port's batch consumer hands it over (no copy). */
export type InputMessage = InRecord;

export function headerString(headers: RecordHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
