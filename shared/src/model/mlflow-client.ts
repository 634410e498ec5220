import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { ErrorCodes, ModelError } from '../errors.js';
import { httpGet, httpGetJson } from './http-get.js';

export interface MlflowModelVersion {
  name: string;
  version: string;
  source?: string;
  run_id?: string;
  status?: string;
  aliases?: string[];
}

export interface MlflowClientOptions {
  /** Tracking server base URL, e.g. http://127.0.0.1:5000 */
  trackingUri: string;
  /** Bearer token (MLFLOW_TRACKING_TOKEN), if the server wants one. */
  token?: string;
  timeoutMs?: number;
}

interface ArtifactList {
  files?: { path: string; is_dir?: boolean; file_size?: number }[];
}

/**
 * The few MLflow REST calls a model consumer needs (https://mlflow.org/docs/latest/api_reference/rest-api.html):
 * resolve an alias or a version, find where its artifacts live, and download them through the tracking server's
 * artifact proxy (`mlflow server --artifacts-destination`), so no cloud credentials are needed here.
 */
export class MlflowClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: MlflowClientOptions) {
    this.base = options.trackingUri.replace(/\/+$/, '');
    this.headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async versionByAlias(name: string, alias: string): Promise<MlflowModelVersion> {
    const q = new URLSearchParams({ name, alias });
    return (await this.get<{ model_version: MlflowModelVersion }>(`registered-models/alias?${q}`))
      .model_version;
  }

  async version(name: string, version: string): Promise<MlflowModelVersion> {
    const q = new URLSearchParams({ name, version });
    return (await this.get<{ model_version: MlflowModelVersion }>(`model-versions/get?${q}`)).model_version;
  }

  async downloadUri(name: string, version: string): Promise<string> {
    const q = new URLSearchParams({ name, version });
    return (await this.get<{ artifact_uri: string }>(`model-versions/get-download-uri?${q}`)).artifact_uri;
  }

  /** Downloads every file under an artifact URI into dest (which must not exist yet or be empty). */
  async downloadArtifacts(artifactUri: string, dest: string): Promise<void> {
    const root = await this.artifactPath(artifactUri);
    const files = await this.listFiles(root);
    if (files.length === 0) {
      throw new ModelError(ErrorCodes.MODEL_NOT_FOUND, `MLflow artifact folder ${artifactUri} is empty`);
    }
    for (const rel of files) {
      const target = normalize(join(dest, rel));
      if (!target.startsWith(normalize(dest))) {
        throw new ModelError(
          ErrorCodes.MODEL_FETCH_FAILED,
          `MLflow listed a path outside the folder: ${rel}`,
        );
      }
      const res = await httpGet(
        `${this.base}/api/2.0/mlflow-artifacts/artifacts/${encodePath(`${root}/${rel}`)}`,
        {
          headers: this.headers,
          timeoutMs: 10 * this.timeoutMs,
        },
      );
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, Buffer.from(await res.arrayBuffer()));
    }
  }

  /** The proxied artifact path for a registry source: mlflow-artifacts:/..., or runs:/<run>/<path>. */
  private async artifactPath(uri: string): Promise<string> {
    const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(uri);
    if (proxied) return proxied[1]!.replace(/\/+$/, '');
    const run = /^runs:\/([^/]+)\/?(.*)$/.exec(uri);
    if (run) {
      const q = new URLSearchParams({ run_id: run[1]! });
      const info = await this.get<{ run: { info: { artifact_uri: string } } }>(`runs/get?${q}`);
      return this.artifactPath(`${info.run.info.artifact_uri.replace(/\/+$/, '')}/${run[2]}`);
    }
    throw new ModelError(
      ErrorCodes.MODEL_FETCH_FAILED,
      `MLflow artifact URI ${uri} is not served by the tracking server: start it with --artifacts-destination ` +
        '(proxied artifacts) and register the model with models/register_mlflow.py',
    );
  }

  private async listFiles(path: string, prefix = ''): Promise<string[]> {
    const q = new URLSearchParams({ path });
    const list = await httpGetJson<ArtifactList>(`${this.base}/api/2.0/mlflow-artifacts/artifacts?${q}`, {
      headers: this.headers,
      timeoutMs: this.timeoutMs,
    });
    const out: string[] = [];
    for (const f of list.files ?? []) {
      const name = f.path.split('/').pop()!;
      if (f.is_dir) out.push(...(await this.listFiles(`${path}/${name}`, `${prefix}${name}/`)));
      else out.push(`${prefix}${name}`);
    }
    return out;
  }

  private get<T>(endpoint: string): Promise<T> {
    return httpGetJson<T>(`${this.base}/api/2.0/mlflow/${endpoint}`, {
      headers: this.headers,
      timeoutMs: this.timeoutMs,
    });
  }
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
