import { describe, expect, it } from 'vitest';
import {
  BrokerError,
  ConfigError,
  DataFileError,
  type ErrorCode,
  ErrorCodes,
  EventError,
  type EventErrorCode,
  GroupMovedOnError,
  ModelError,
  type ModelErrorCode,
  NodeVersionError,
  OutputError,
  RequestError,
  type RetriableErrorOptions,
  RideError,
  SchemaRegistryError,
  StallError,
} from '../src/errors.js';

/** never: whatever the caller passes; always: whatever happened; when asked: as the caller judged the failure. */
type Retriable = 'never' | 'always' | 'when asked';

interface Row {
  type: abstract new (...args: never[]) => RideError;
  retriable: Retriable;
  /** The error as its raisers build it; classes that take no such option ignore `retriable`. */
  make: (options: RetriableErrorOptions) => RideError;
}

const model = (code: ModelErrorCode): Row => ({
  type: ModelError,
  retriable: 'when asked',
  make: (options) => new ModelError(code, 'model broke', options),
});

const event = (code: EventErrorCode): Row => ({
  type: EventError,
  retriable: 'never',
  make: (options) => new EventError(code, 'event refused', options),
});

// The one place a code meets its class: a code without a row does not compile, and fails the coverage test.
const table: Record<ErrorCode, Row> = {
  [ErrorCodes.CONFIG_INVALID]: {
    type: ConfigError,
    retriable: 'never',
    make: () => new ConfigError(['KAFKA_BROKERS is empty: set it to host:port']),
  },
  [ErrorCodes.NODE_UNSUPPORTED]: {
    type: NodeVersionError,
    retriable: 'never',
    make: (options) => new NodeVersionError('ride-x needs Node 24.11 or newer', options),
  },
  [ErrorCodes.MODEL_NOT_FOUND]: model(ErrorCodes.MODEL_NOT_FOUND),
  [ErrorCodes.MODEL_CHECKSUM_MISMATCH]: model(ErrorCodes.MODEL_CHECKSUM_MISMATCH),
  [ErrorCodes.MODEL_SIGNATURE_MISMATCH]: model(ErrorCodes.MODEL_SIGNATURE_MISMATCH),
  [ErrorCodes.MODEL_METADATA_INVALID]: model(ErrorCodes.MODEL_METADATA_INVALID),
  [ErrorCodes.MODEL_FETCH_FAILED]: model(ErrorCodes.MODEL_FETCH_FAILED),
  [ErrorCodes.MODEL_VALIDATION_FAILED]: model(ErrorCodes.MODEL_VALIDATION_FAILED),
  [ErrorCodes.DECODE_FAILED]: event(ErrorCodes.DECODE_FAILED),
  [ErrorCodes.UNSUPPORTED_CONTENT_TYPE]: event(ErrorCodes.UNSUPPORTED_CONTENT_TYPE),
  [ErrorCodes.MESSAGE_TOO_LARGE]: event(ErrorCodes.MESSAGE_TOO_LARGE),
  [ErrorCodes.INVALID_RIDE]: event(ErrorCodes.INVALID_RIDE),
  [ErrorCodes.INVALID_RIDE_ID]: event(ErrorCodes.INVALID_RIDE_ID),
  [ErrorCodes.UNKNOWN_ZONE]: event(ErrorCodes.UNKNOWN_ZONE),
  [ErrorCodes.INVALID_DISTANCE]: event(ErrorCodes.INVALID_DISTANCE),
  [ErrorCodes.INVALID_TIME]: event(ErrorCodes.INVALID_TIME),
  [ErrorCodes.SCORING_FAILED]: event(ErrorCodes.SCORING_FAILED),
  [ErrorCodes.UNKNOWN_SCHEMA]: event(ErrorCodes.UNKNOWN_SCHEMA),
  [ErrorCodes.PRODUCE_FAILED]: {
    type: OutputError,
    retriable: 'always',
    make: (options) => new OutputError(options.cause ?? new Error('leader not available')),
  },
  [ErrorCodes.GROUP_MOVED_ON]: {
    type: GroupMovedOnError,
    retriable: 'always',
    make: (options) => new GroupMovedOnError('the group moved on', options),
  },
  [ErrorCodes.BROKER_UNAVAILABLE]: {
    type: BrokerError,
    retriable: 'never',
    make: (options) => new BrokerError('broker down', options),
  },
  [ErrorCodes.DATA_FILE_INVALID]: {
    type: DataFileError,
    retriable: 'never',
    make: (options) => new DataFileError('zones.csv is missing', options),
  },
  [ErrorCodes.REQUEST_INVALID]: {
    type: RequestError,
    retriable: 'never',
    make: (options) => new RequestError('PULocationID must be an integer', options),
  },
  [ErrorCodes.PARTITION_STALLED]: {
    type: StallError,
    retriable: 'never',
    make: (options) => new StallError('partitions stalled', options.details),
  },
  [ErrorCodes.SCHEMA_REGISTRY_FAILED]: {
    type: SchemaRegistryError,
    retriable: 'when asked',
    make: (options) => new SchemaRegistryError('registry answered 503', options),
  },
};

const rows = Object.entries(table) as [ErrorCode, Row][];

describe('errors', () => {
  it('has one row, so one class, for every code', () => {
    expect(Object.keys(table).sort()).toEqual(Object.values(ErrorCodes).sort());
  });

  it('lists in each class table exactly the codes that class raises', () => {
    const raisedBy = (type: Row['type']) => rows.filter(([, row]) => row.type === type).map(([code]) => code);
    expect([...ModelError.codes].sort()).toEqual(raisedBy(ModelError).sort());
    expect([...EventError.codes].sort()).toEqual(raisedBy(EventError).sort());
  });

  it.each(rows)('%s: its class, its code, and retriable as documented', (code, { type, retriable, make }) => {
    const err = make({});
    expect(err).toBeInstanceOf(type);
    expect(err).toBeInstanceOf(RideError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(type.name);
    expect(err.code).toBe(code);
    expect(err.retriable).toBe(retriable === 'always');
    expect(make({ retriable: true }).retriable).toBe(retriable !== 'never');
  });

  it.each(rows)('%s: logs name, code, message, retriable and details', (code, { type, make }) => {
    const err = make({ details: { status: 503 } });
    const details =
      type === ConfigError
        ? { problems: ['KAFKA_BROKERS is empty: set it to host:port'] }
        : type === OutputError
          ? { clientError: { type: 'Error', message: 'leader not available' } }
          : { status: 503 };
    expect(err.toJSON()).toEqual({
      name: type.name,
      code,
      message: err.message,
      retriable: err.retriable,
      ...details,
    });
  });

  const retriable = rows.filter(([, row]) => row.retriable !== 'never');
  it.each(retriable)(
    '%s: retriable, it keeps its cause out of `cause`, where kafkajs would judge it',
    (_, row) => {
      const err = row.make({ cause: new TypeError('fetch failed'), retriable: true });
      expect(err.retriable).toBe(true);
      expect(err.cause).toBeUndefined();
      expect(err.toJSON()).toMatchObject({ clientError: { type: 'TypeError', message: 'fetch failed' } });
    },
  );

  it('chains the cause of an error that is not retriable', () => {
    const cause = new Error('ENOENT');
    expect(new ModelError(ErrorCodes.MODEL_NOT_FOUND, 'no model', { cause }).cause).toBe(cause);
    expect(new EventError(ErrorCodes.DECODE_FAILED, 'bad bytes', { cause }).cause).toBe(cause);
  });

  it('keeps the original message of a failed publish', () => {
    expect(new OutputError(new Error('leader not available')).message).toBe(
      "publishing a batch's outputs failed: leader not available",
    );
    expect(new OutputError('timeout').toJSON()).toMatchObject({
      clientError: { type: 'Error', message: 'timeout' },
    });
  });
});
