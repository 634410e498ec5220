/**
 * Kafka header names and content types, in one place. Records on the hot path carry no headers (the Confluent wire
 * format says what a value is); content-type is the earlier contract, still read, and dead letters carry x-dlq-*.
 */
export const Headers = {
  contentType: 'content-type',
  errorCode: 'x-dlq-error-code',
  errorMessage: 'x-dlq-error-message',
  sourceTopic: 'x-dlq-source-topic',
  sourcePartition: 'x-dlq-source-partition',
  sourceOffset: 'x-dlq-source-offset',
  failedAt: 'x-dlq-failed-at',
  /** WIRE_FORMAT=tagged only (the earlier contract): the model version and the input's timestamp on a prediction. */
  modelVersion: 'x-model-version',
  sourceTimestamp: 'x-source-timestamp',
} as const;

export const ContentTypes = {
  json: 'application/json',
  rideStartedAvro: (version: number) => `application/vnd.nyc-taxi.ride-started.v${version}+avro`,
  ridePredictionAvro: (version: number) => `application/vnd.nyc-taxi.ride-prediction.v${version}+avro`,
} as const;

const AVRO_CONTENT_TYPE = /^application\/vnd\.nyc-taxi\.(ride-started|ride-prediction)\.v(\d+)\+avro$/;

/** Parses our Avro content type into record kind and schema version; undefined for anything else. */
export function parseAvroContentType(value: string): { kind: string; version: number } | undefined {
  const match = AVRO_CONTENT_TYPE.exec(value.trim());
  return match ? { kind: match[1]!, version: Number(match[2]) } : undefined;
}
