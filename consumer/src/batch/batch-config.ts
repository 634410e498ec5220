import { parseArgs } from 'node:util';
import { ConfigError, type Env, EnvReader } from '@ride/shared';
import { type ModelSourceSettings, readModelSourceSettings } from '@ride/shared/model';
import { DEFAULT_MODEL_PATH } from '../common/default-model-path.js';

export interface BatchConfig {
  input: string;
  output: string;
  modelSource: ModelSourceSettings;
  chunkSize: number;
  onnxThreads: number;
  logLevel: string;
  shutdownTimeoutMs: number;
  /** Print the summary as one JSON line instead of text. */
  json: boolean;
}

export const BATCH_USAGE =
  'usage: ride-batch <input TLC .parquet> <output .parquet> [--model <folder|URL|models:/...>] [--chunk <rows>] [--json]';

/** Arguments name the files; the model and tuning can also come from the environment (MODEL_PATH, ...). */
export function loadBatchConfig(argv: readonly string[], env: Env): BatchConfig {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new ConfigError([`${(err as Error).message}; ${BATCH_USAGE}`]);
  }
  const { values, positionals } = parsed;
  const r = new EnvReader({ ...env, ...(values.model ? { MODEL_PATH: values.model } : {}) });
  if (positionals.length !== 2) r.problems.push(`give an input and an output file; ${BATCH_USAGE}`);
  const chunkSize =
    values.chunk === undefined ? r.int('BATCH_CHUNK', 50_000, { min: 1 }) : Number(values.chunk);
  if (!Number.isInteger(chunkSize) || chunkSize < 1)
    r.problems.push(`--chunk ${values.chunk} is not a positive integer`);
  const config: BatchConfig = {
    input: positionals[0] ?? '',
    output: positionals[1] ?? '',
    modelSource: readModelSourceSettings(r, DEFAULT_MODEL_PATH),
    chunkSize,
    onnxThreads: r.int('ONNX_THREADS', 1, { min: 1, max: 64 }),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'warn'),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, { min: 1000 }),
    json: values.json ?? false,
  };
  r.finish();
  return Object.freeze(config);
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      chunk: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
}
