import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS } from '../contracts/event-time-bounds.js';
import { ErrorCodes, EventError, ModelError } from '../errors.js';
import { type ModelMetadata, readModelMetadata, type TensorSpec } from './model-metadata.js';
import { nycTimeParts } from './nyc-time.js';
import { createOnnxSession, type FeatureArray, type OnnxSession } from './onnx-session.js';

/** What the model needs to know about a ride at pickup. */
export interface RideFeatures {
  puLocationId: number;
  doLocationId: number;
  tripDistance: number;
  /** Pickup instant, epoch ms; hour and day of week are taken in New York time. */
  pickupMs: number;
}

/** Model inputs after time parts are derived: exactly the graph's input columns. */
export interface ModelRow {
  PULocationID: number;
  DOLocationID: number;
  trip_distance: number;
  pickup_hour: number;
  pickup_dow: number;
}

export interface ScoreResult {
  /** Minutes per input row; NaN where the row was invalid. */
  durations: Float64Array;
  /** Per input row: why it was not scored, or undefined when it was. */
  errors: Array<EventError | undefined>;
  invalidCount: number;
}

const INPUT_COLUMNS: readonly (keyof ModelRow)[] = [
  'PULocationID',
  'DOLocationID',
  'trip_distance',
  'pickup_hour',
  'pickup_dow',
];
const MAX_DISTANCE_MILES = 1000;

export interface LoadOptions {
  /** onnxruntime intra-op threads; 1 suits one scorer per consumer process. */
  threads?: number;
}

/**
 * Serves one versioned model folder (model.onnx + metadata.json). Loading checks the file's sha256 and that
 * the graph's inputs and outputs are the ones the metadata declares. Scoring validates every row first and
 * runs the graph once per batch on the valid rows only; invalid rows come back with the reason.
 */
export class ModelScorer {
  readonly metadata: ModelMetadata;
  readonly dir: string;
  private readonly session: OnnxSession;
  private readonly zones: Set<number>;
  private readonly output: string;

  private constructor(dir: string, metadata: ModelMetadata, session: OnnxSession) {
    this.dir = dir;
    this.metadata = metadata;
    this.session = session;
    this.zones = new Set(metadata.zones);
    this.output = metadata.outputs[0]!.name;
  }

  get name(): string {
    return this.metadata.name;
  }

  get version(): string {
    return this.metadata.version;
  }

  static async load(dir: string, options: LoadOptions = {}): Promise<ModelScorer> {
    const metadata = await readModelMetadata(dir);
    const file = join(dir, metadata.model_file);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      throw new ModelError(
        ErrorCodes.MODEL_NOT_FOUND,
        `model file ${file} cannot be read: restore it or point MODEL_PATH at another model folder`,
        { cause: err },
      );
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== metadata.model_sha256) {
      throw new ModelError(
        ErrorCodes.MODEL_CHECKSUM_MISMATCH,
        `model file ${file} has sha256 ${sha256} but metadata.json says ${metadata.model_sha256}: the file is corrupt or from another version; restore it`,
        { details: { expected: metadata.model_sha256, actual: sha256 } },
      );
    }
    let session: OnnxSession;
    try {
      session = await createOnnxSession(bytes, options.threads ?? 1);
    } catch (err) {
      throw new ModelError(
        ErrorCodes.MODEL_SIGNATURE_MISMATCH,
        `model file ${file} is not a loadable ONNX graph: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const mismatch = signatureMismatch(metadata, session);
    if (mismatch !== undefined) {
      await session.close();
      throw new ModelError(
        ErrorCodes.MODEL_SIGNATURE_MISMATCH,
        `model ${file} does not match its metadata: ${mismatch}`,
      );
    }
    return new ModelScorer(dir, metadata, session);
  }

  /** Why this ride cannot be scored, or undefined if it can. */
  check(ride: RideFeatures): EventError | undefined {
    if (!this.zones.has(ride.puLocationId)) return unknownZone('PULocationID', ride.puLocationId);
    if (!this.zones.has(ride.doLocationId)) return unknownZone('DOLocationID', ride.doLocationId);
    const d = ride.tripDistance;
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0 || d > MAX_DISTANCE_MILES) {
      return new EventError(
        ErrorCodes.INVALID_DISTANCE,
        `trip_distance ${String(d)} is not a distance in [0, ${MAX_DISTANCE_MILES}] miles`,
      );
    }
    const t = ride.pickupMs;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < MIN_EVENT_TIME_MS || t > MAX_EVENT_TIME_MS) {
      return new EventError(
        ErrorCodes.INVALID_TIME,
        `pickup time ${String(t)} is not an epoch-millisecond instant between 2000 and 2100`,
      );
    }
    return undefined;
  }

  /** Validates and scores a batch of rides with one graph run. */
  async score(rides: readonly RideFeatures[]): Promise<ScoreResult> {
    const errors = rides.map((ride) => this.check(ride));
    const valid: ModelRow[] = [];
    const validIndex: number[] = [];
    rides.forEach((ride, i) => {
      if (errors[i] !== undefined) return;
      const { hour, dow } = nycTimeParts(ride.pickupMs);
      valid.push({
        PULocationID: ride.puLocationId,
        DOLocationID: ride.doLocationId,
        trip_distance: ride.tripDistance,
        pickup_hour: hour,
        pickup_dow: dow,
      });
      validIndex.push(i);
    });
    const durations = new Float64Array(rides.length).fill(Number.NaN);
    const scored = await this.scoreRows(valid);
    validIndex.forEach((row, i) => {
      durations[row] = scored[i]!;
    });
    return { durations, errors, invalidCount: rides.length - valid.length };
  }

  /** Runs the graph on rows whose features are already derived (no validation): the parity tests use this. */
  async scoreRows(rows: readonly ModelRow[]): Promise<Float32Array | Float64Array> {
    if (rows.length === 0) return new Float32Array(0);
    const columns: Record<string, FeatureArray> = {};
    for (const spec of this.metadata.inputs) columns[spec.name] = column(spec, rows);
    try {
      return await this.session.run(columns, rows.length, this.output);
    } catch (err) {
      throw new EventError(ErrorCodes.SCORING_FAILED, `model run failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

function column(spec: TensorSpec, rows: readonly ModelRow[]): FeatureArray {
  const key = spec.name as keyof ModelRow;
  const n = rows.length;
  if (spec.type === 'int64') {
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(rows[i]![key]);
    return out;
  }
  const out = spec.type === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rows[i]![key];
  return out;
}

function signatureMismatch(metadata: ModelMetadata, session: OnnxSession): string | undefined {
  for (const spec of metadata.inputs) {
    if (!INPUT_COLUMNS.includes(spec.name as keyof ModelRow)) {
      return `metadata input "${spec.name}" is not a ride feature this server can fill (${INPUT_COLUMNS.join(', ')})`;
    }
  }
  const list = (specs: TensorSpec[]) =>
    specs
      .map((s) => `${s.name}:${s.type}`)
      .sort()
      .join(', ');
  if (list(metadata.inputs) !== list(session.inputs)) {
    return `graph inputs are [${list(session.inputs)}] but metadata declares [${list(metadata.inputs)}]`;
  }
  const declared = metadata.outputs[0]!;
  const actual = session.outputs.find((o) => o.name === declared.name);
  if (actual === undefined || actual.type !== declared.type) {
    return `graph outputs are [${list(session.outputs)}] but metadata declares output ${declared.name}:${declared.type}`;
  }
  return undefined;
}

function unknownZone(field: string, value: unknown): EventError {
  return new EventError(
    ErrorCodes.UNKNOWN_ZONE,
    `${field} ${String(value)} is not a TLC zone id known to the model`,
  );
}
