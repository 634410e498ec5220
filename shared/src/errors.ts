// Every error we raise carries a stable `code` that callers and dead-letter headers match on.
export const ErrorCodes = {
  CONFIG_INVALID: 'RIDE_CONFIG_INVALID',
  NODE_UNSUPPORTED: 'RIDE_NODE_UNSUPPORTED',
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
  GROUP_MOVED_ON: 'RIDE_GROUP_MOVED_ON',
  UNKNOWN_SCHEMA: 'RIDE_UNKNOWN_SCHEMA',
  SCHEMA_REGISTRY_FAILED: 'RIDE_SCHEMA_REGISTRY_FAILED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface RideErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** Options of the errors whose failure a retry may cure, depending on how it failed. */
export interface RetriableErrorOptions extends RideErrorOptions {
  /** True when doing the same again may succeed: the service was unreachable, or answered 5xx or 429. */
  retriable?: boolean;
}

/** The base of our errors; each code is raised by exactly one subclass (shared/test/errors.test.ts checks). */
export abstract class RideError extends Error {
  readonly code: ErrorCode;
  /**
   * Whether a retry can help: the one retry flag, named as kafkajs reads it. A batch that throws a retriable
   * error makes kafkajs restart the consumer (rejoin, fetch again from the committed offsets) instead of stopping
   * it for good. kafkajs judges the deepest `cause` (consumer/index.js), so a retriable error keeps what caused it
   * in `details.clientError`, not as its `cause`.
   */
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;

  // `retriable` is the subclass's to pass, not an option: only the classes that document it can be retried.
  protected constructor(code: ErrorCode, message: string, options: RideErrorOptions, retriable = false) {
    const { cause, details = {} } = options;
    super(message, cause === undefined || retriable ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = retriable;
    this.details = retriable && cause !== undefined ? { ...details, clientError: summary(cause) } : details;
  }

  // pino's err serializer picks up enumerable fields; make code and details visible in logs.
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retriable: this.retriable,
      ...this.details,
    };
  }
}

function summary(cause: unknown): { type: string; message: string } {
  const err = cause instanceof Error ? cause : new Error(String(cause));
  return { type: err.name, message: err.message };
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

/** The program runs on a Node older than it needs; the message names the version needed and how to get it. */
export class NodeVersionError extends RideError {
  constructor(message: string, options: RideErrorOptions = {}) {
    super(ErrorCodes.NODE_UNSUPPORTED, message, options);
  }
}

/**
 * The model folder cannot be served: missing, corrupted, or its graph does not match its metadata. `retriable`
 * when a fetch failed in a way the next one may not (unreachable, 5xx, 429). Nothing retries on it: the model
 * watcher polls again at its interval whatever failed, and a failure at start-up ends the process (exit code 3).
 */
export class ModelError extends RideError {
  static readonly codes = [
    ErrorCodes.MODEL_NOT_FOUND,
    ErrorCodes.MODEL_CHECKSUM_MISMATCH,
    ErrorCodes.MODEL_SIGNATURE_MISMATCH,
    ErrorCodes.MODEL_METADATA_INVALID,
    ErrorCodes.MODEL_FETCH_FAILED,
    ErrorCodes.MODEL_VALIDATION_FAILED,
  ] as const;
  declare readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, message: string, options: RetriableErrorOptions = {}) {
    super(code, message, options, options.retriable);
  }
}

export type ModelErrorCode = (typeof ModelError.codes)[number];

/** One input event cannot become a prediction; the code is the dead-letter reason. Never retriable. */
export class EventError extends RideError {
  static readonly codes = [
    ErrorCodes.DECODE_FAILED,
    ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
    ErrorCodes.MESSAGE_TOO_LARGE,
    ErrorCodes.INVALID_RIDE,
    ErrorCodes.INVALID_RIDE_ID,
    ErrorCodes.UNKNOWN_ZONE,
    ErrorCodes.INVALID_DISTANCE,
    ErrorCodes.INVALID_TIME,
    ErrorCodes.SCORING_FAILED,
    ErrorCodes.UNKNOWN_SCHEMA,
  ] as const;
  declare readonly code: EventErrorCode;
  constructor(code: EventErrorCode, message: string, options: RideErrorOptions = {}) {
    super(code, message, options);
  }
}

export type EventErrorCode = (typeof EventError.codes)[number];

/** The broker could not be reached or refused an operation. */
export class BrokerError extends RideError {
  constructor(message: string, options: RideErrorOptions = {}) {
    super(ErrorCodes.BROKER_UNAVAILABLE, message, options);
  }
}

/**
 * A batch's outputs could not be published (or its transaction committed). Nothing of the batch was committed,
 * so consuming it again from the last committed offset is always right: always retriable.
 */
export class OutputError extends RideError {
  constructor(err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    super(ErrorCodes.PRODUCE_FAILED, `publishing a batch's outputs failed: ${message}`, { cause: err }, true);
  }
}

/**
 * The group moved past the generation a batch was handed over under (KIP-447: the coordinator refused the
 * transaction's offsets with ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS or FENCED_INSTANCE_ID), so
 * the transaction was aborted. Nothing is wrong with the member: a rebalance is under way and its client rejoins on
 * its own; the partition's records go to whoever owns it after the join. Retriable: a run from the committed
 * offsets is always right.
 */
export class GroupMovedOnError extends RideError {
  constructor(message: string, options: RideErrorOptions = {}) {
    super(ErrorCodes.GROUP_MOVED_ON, message, options, true);
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
  constructor(message: string, options: RetriableErrorOptions = {}) {
    super(ErrorCodes.SCHEMA_REGISTRY_FAILED, message, options, options.retriable);
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
