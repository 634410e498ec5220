import { ErrorCodes, ModelError } from '../errors.js';

/** Where a model folder comes from, parsed from MODEL_PATH-like settings. */
export type ModelLocation =
  | { kind: 'local'; dir: string }
  | { kind: 'http-folder'; url: string }
  | { kind: 'http-archive'; url: string }
  | { kind: 'mlflow-alias'; name: string; alias: string }
  | { kind: 'mlflow-version'; name: string; version: string };

// MLflow's registry URI forms: https://mlflow.org/docs/latest/ml/model-registry (models:/<name>/<version>, @<alias>).
const MLFLOW_ALIAS = /^models:\/([^/@]+)@([A-Za-z0-9_-]+)$/;
const MLFLOW_VERSION = /^models:\/([^/@]+)\/(\d+)$/;
const ARCHIVE = /\.(tar\.gz|tgz)$/i;

export function parseModelLocation(location: string): ModelLocation {
  const text = location.trim();
  if (text.startsWith('models:/')) {
    const alias = MLFLOW_ALIAS.exec(text);
    if (alias) return { kind: 'mlflow-alias', name: decodeURIComponent(alias[1]!), alias: alias[2]! };
    const version = MLFLOW_VERSION.exec(text);
    if (version)
      return { kind: 'mlflow-version', name: decodeURIComponent(version[1]!), version: version[2]! };
    throw new ModelError(
      ErrorCodes.MODEL_NOT_FOUND,
      `model location ${JSON.stringify(text)} is not an MLflow registry reference: use models:/<name>@<alias> or models:/<name>/<version>`,
    );
  }
  if (/^https?:\/\//i.test(text)) {
    const path = new URL(text).pathname;
    if (ARCHIVE.test(path)) return { kind: 'http-archive', url: text };
    return { kind: 'http-folder', url: text.endsWith('/') ? text : `${text}/` };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !text.startsWith('file://')) {
    throw new ModelError(
      ErrorCodes.MODEL_NOT_FOUND,
      `model location ${JSON.stringify(text)} has a scheme we cannot fetch: use a folder, an http(s) URL or models:/...`,
    );
  }
  return { kind: 'local', dir: text.startsWith('file://') ? new URL(text).pathname : text };
}
