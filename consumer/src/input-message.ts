import type { IHeaders } from '@ride/shared';

/** Where a batch of records was fetched from. */
export interface RecordSource {
  topic: string;
  partition: number;
}

/** One fetched Kafka record (kafkajs' shape, so batches pass through without copying). */
export interface InputMessage {
  offset: string;
  /** Broker or producer timestamp, epoch ms as a string (kafkajs' representation). */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
