// Every error we raise carries a stable `code` that callers and dead-letter headers match on.
export const ErrorCodes = {
  CONFIG_INVALID: 'RIDE_CONFIG_INVALID',
  MODEL_NOT_FOUND: 'RIDE_MODEL_NOT_FOUND',
  MODEL_CHECKSUM_MISMATCH: 'RIDE_MODEL_CHECKSUM_MISMATCH',
  MODEL_SIGNATURE_MISMATCH: 'RIDE_MODEL_SIGNATURE_MISMATCH',
  MODEL_METADATA_INVALID: 'RIDE_MODEL_METADATA_INVALID',
  DECODE_FAILED: 'RIDE_DECODE_FAILED',
  UNSUPPORTED_CONTENT_TYPE: 'RIDE_UNSUPPORTED_CONTENT_TYPE',
  MESSAGE_TOO_LARGE: 'RIDE_MESSAGE_TOO_LARGE',
  INVALID_RIDE: 'RIDE_INVALID_RIDE',
  INVALID_RIDE_ID: 'RIDE_INVALID_RIDE_ID',
  UNKNOWN_ZONE: 'RIDE_UNKNOWN_ZONE',
  INVALID_DISTANCE: 'RIDE_INVALID_DISTANCE',
  INVALID_TIME: 'RIDE_INVALID_TIME',
  SCORING_FAILED: 'RIDE_SCORING_FAILED',
  PRODUCE_FAILED: 'RIDE_PRODUCE_FAILED',
  BROKER_UNAVAILABLE: 'RIDE_BROKER_UNAVAILABLE',
  DATA_FILE_INVALID: 'RIDE_DATA_FILE_INVALID',
  REQUEST_INVALID: 'RIDE_REQUEST_INVALID',
  MODEL_FETCH_FAILED: 'RIDE_MODEL_FETCH_FAILED',
  MODEL_VALIDATION_FAILED: 'RIDE_MODEL_VALIDATION_FAILED',
  PARTITION_STALLED: 'RIDE_PARTITION_STALLED',
  UNKNOWN_SCHEMA: 'RIDE_UNKNOWN_SCHEMA',
  SCHEMA_REGISTRY_FAILED: 'RIDE_SCHEMA_REGISTRY_FAILED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface RideErrorOptions {
  cause?: unknown;
  canRetry?: boolean;
  details?: Record<string, unknown>;
}

export class RideError extends Error {
  readonly code: ErrorCode;
  readonly canRetry: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: RideErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.canRetry = options.canRetry ?? false;
    this.details = options.details ?? {};
  }

  // pino's err serializer picks up enumerable fields; make code and details visible in logs.
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      canRetry: this.canRetry,
      ...this.details,
    };
  }
}

/** Configuration is wrong: every problem found is listed, each naming the variable and the fix. */
export class ConfigError extends RideError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(ErrorCodes.CONFIG_INVALID, `Invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
    this.problems = problems;
  }
}

/** The model folder cannot be served: missing, corrupted, or its graph does not match its metadata. */
export class ModelError extends RideError {}

/** One input event cannot become a prediction; the code is the dead-letter reason. */
export class EventError extends RideError {}

/** The broker could not be reached or refused an operation. */
export class BrokerError extends RideError {}

/**
 * A batch's outputs could not be published (or its transaction committed). Nothing of the batch was committed,
 * so consuming it again from the last committed offset is always right: the error is marked `retriable`, which
 * makes kafkajs restart the consumer (rejoin, refetch) instead of stopping it for good. kafkajs judges the
 * deepest `cause` (consumer/index.js), so the client's own error is kept in the details, not as the cause.
 */
export class OutputError extends RideError {
  readonly retriable = true;
  constructor(err: unknown) {
    const original = err instanceof Error ? err : new Error(String(err));
    super(ErrorCodes.PRODUCE_FAILED, `publishing a batch's outputs failed: ${original.message}`, {
      canRetry: true,
      details: { clientError: { type: original.name, message: original.message } },
    });
  }
}

/** A partition stayed stalled: running the client again did not help, or the client would not stop. */
export class StallError extends RideError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(ErrorCodes.PARTITION_STALLED, message, { details });
  }
}

/**
 * The schema registry could not be reached or refused a request. Unreachable or 5xx can be retried (`retriable`
 * makes kafkajs run the consumer again, so the batch that needed the schema is fetched again, never dropped).
 */
export class SchemaRegistryError extends RideError {
  readonly retriable: boolean;
  constructor(message: string, options: RideErrorOptions = {}) {
    super(ErrorCodes.SCHEMA_REGISTRY_FAILED, message, options);
    this.retriable = this.canRetry;
  }
}

/** A data file (TLC parquet, zone lookup) is missing or unreadable. */
export class DataFileError extends RideError {
  constructor(message: string, options: RideErrorOptions = {}) {
    super(ErrorCodes.DATA_FILE_INVALID, message, options);
  }
}

/** An HTTP request to the web service is malformed; the message names the field and what it must be. */
export class RequestError extends RideError {
  constructor(message: string, options: RideErrorOptions = {}) {
    super(ErrorCodes.REQUEST_INVALID, message, options);
  }
}
