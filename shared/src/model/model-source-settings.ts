import type { EnvReader } from '../config/env-reader.js';

/** How a service finds its model and follows it: read once with the rest of the service's config. */
export interface ModelSourceSettings {
  /** MODEL_PATH: a folder, an http(s) folder or .tar.gz, or models:/<name>@<alias> | models:/<name>/<version>. */
  location: string;
  /** MODEL_CACHE_DIR: where downloaded models are kept, one folder per version. */
  cacheDir: string;
  /** MODEL_POLL_INTERVAL_MS: how often the source is checked for a new model; 0 = never. */
  pollIntervalMs: number;
  mlflowTrackingUri: string | undefined;
  mlflowToken: string | undefined;
}

export function readModelSourceSettings(r: EnvReader, defaultLocation: string): ModelSourceSettings {
  const location = r.string('MODEL_PATH', defaultLocation);
  const mlflowTrackingUri = r.optionalString('MLFLOW_TRACKING_URI');
  if (location.startsWith('models:/') && mlflowTrackingUri === undefined) {
    r.problems.push(
      `MODEL_PATH=${location} is an MLflow reference: set MLFLOW_TRACKING_URI to the tracking server`,
    );
  }
  return {
    location,
    cacheDir: r.string('MODEL_CACHE_DIR', '.cache/models'),
    pollIntervalMs: r.int('MODEL_POLL_INTERVAL_MS', 0, { min: 0, max: 86_400_000 }),
    mlflowTrackingUri,
    mlflowToken: r.optionalString('MLFLOW_TRACKING_TOKEN'),
  };
}
