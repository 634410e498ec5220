import type { InRecord } from '@ride/shared';

/** Where a batch of records was fetched from. */
export interface RecordSource {
  topic: string;
  partition: number;
}

/** One fetched Kafka record, as the port's batch consumer hands it over (no copy). */
export type InputMessage = InRecord;
