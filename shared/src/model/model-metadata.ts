import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, ModelError } from '../errors.js';

export type TensorType = 'int64' | 'float32' | 'float64';

export interface TensorSpec {
  name: string;
  type: TensorType;
  shape: ReadonlyArray<number | string | null>;
}

/** The parts of models/<name>/<version>/metadata.json the serving side relies on. */
export interface ModelMetadata {
  name: string;
  version: string;
  model_file: string;
  model_sha256: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  zones: number[];
  time_zone: string;
  metrics: Record<string, number>;
  [key: string]: unknown;
}

const TENSOR_TYPES: readonly string[] = ['int64', 'float32', 'float64'];

export async function readModelMetadata(dir: string): Promise<ModelMetadata> {
  const path = join(dir, 'metadata.json');
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    throw new ModelError(
      ErrorCodes.MODEL_NOT_FOUND,
      `model metadata ${path} cannot be read: point MODEL_PATH at a model folder (models/ride-duration/<version>)`,
      { cause: err },
    );
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    throw invalid(path, 'is not valid JSON', err);
  }
  const problems: string[] = [];
  for (const key of ['name', 'version', 'model_sha256'] as const) {
    if (typeof data[key] !== 'string' || data[key] === '')
      problems.push(`"${key}" must be a non-empty string`);
  }
  for (const key of ['inputs', 'outputs'] as const) {
    const specs = data[key];
    if (!Array.isArray(specs) || specs.length === 0 || !specs.every(isTensorSpec)) {
      problems.push(`"${key}" must be a list of {name, type (${TENSOR_TYPES.join('|')}), shape}`);
    }
  }
  if (!Array.isArray(data.zones) || data.zones.length === 0 || !data.zones.every(Number.isInteger)) {
    problems.push('"zones" must be a non-empty list of integer LocationIDs');
  }
  if (problems.length > 0) throw invalid(path, problems.join('; '));
  return {
    model_file: 'model.onnx',
    time_zone: 'America/New_York',
    metrics: {},
    ...data,
  } as ModelMetadata;
}

function isTensorSpec(value: unknown): value is TensorSpec {
  const spec = value as TensorSpec;
  return typeof spec?.name === 'string' && TENSOR_TYPES.includes(spec.type) && Array.isArray(spec.shape);
}

function invalid(path: string, problem: string, cause?: unknown): ModelError {
  return new ModelError(
    ErrorCodes.MODEL_METADATA_INVALID,
    `model metadata ${path} ${problem}: re-export the model with models/train.py`,
    { cause },
  );
}
