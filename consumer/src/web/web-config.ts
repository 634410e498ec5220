import { type Env, EnvReader } from '@ride/shared';
import { type ModelSourceSettings, readModelSourceSettings } from '@ride/shared/model';
import { DEFAULT_MODEL_PATH } from '../common/default-model-path.js';

export interface WebConfig {
  host: string;
  port: number;
  modelSource: ModelSourceSettings;
  maxBatch: number;
  bodyLimitBytes: number;
  onnxThreads: number;
  shutdownTimeoutMs: number;
  logLevel: string;
}

/** Every setting the web service reads, validated at once (PORT 9696 as in the course); flags as flagsToEnv reads them. */
export function loadWebConfig(env: Env, flags: Env = {}): WebConfig {
  const r = new EnvReader(env, flags);
  const config: WebConfig = {
    host: r.string('HOST', '0.0.0.0'),
    port: r.int('PORT', 9696, { min: 0, max: 65535 }),
    modelSource: readModelSourceSettings(r, DEFAULT_MODEL_PATH),
    maxBatch: r.int('MAX_PREDICT_BATCH', 10_000, { min: 1, max: 1_000_000 }),
    bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 4 * 1024 * 1024, { min: 1024 }),
    onnxThreads: r.int('ONNX_THREADS', 1, { min: 1, max: 64 }),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, { min: 1000 }),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  };
  r.finish();
  return Object.freeze(config);
}
