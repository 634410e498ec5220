import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { extract } from 'tar';
import { ErrorCodes, ModelError } from '../errors.js';
import { httpGet } from './http-get.js';
import { MlflowClient } from './mlflow-client.js';
import { cachedFolder, exists } from './model-cache.js';
import { type ModelLocation, parseModelLocation } from './model-location.js';
import { readModelMetadata } from './model-metadata.js';

/** A model folder on local disk that ModelScorer.load can open, and what it is. */
export interface ResolvedModel {
  dir: string;
  /** Changes exactly when the location points at another model: the watcher compares keys. */
  key: string;
  /** For logs: the location and what it resolved to. */
  description: string;
}

export interface ModelSource {
  readonly location: string;
  /** Finds what the location points at now, downloading it into the cache if it is not there yet. */
  resolve(): Promise<ResolvedModel>;
}

export interface ModelSourceOptions {
  /** Downloaded models are kept here, one folder per version. */
  cacheDir: string;
  /** Needed for models:/ locations. */
  mlflowTrackingUri?: string;
  mlflowToken?: string;
}

/** A model source for MODEL_PATH: a local folder, an http(s) folder or .tar.gz, or an MLflow registry reference. */
export function createModelSource(location: string, options: ModelSourceOptions): ModelSource {
  const parsed = parseModelLocation(location);
  const resolveOnce = resolverFor(parsed, options);
  return { location, resolve: resolveOnce };
}

function resolverFor(loc: ModelLocation, options: ModelSourceOptions): () => Promise<ResolvedModel> {
  const cacheDir = resolve(options.cacheDir);
  switch (loc.kind) {
    case 'local':
      return async () => {
        const dir = await localModelDir(loc.dir);
        const meta = await readModelMetadata(dir);
        return {
          dir,
          key: `${resolve(dir)}#${meta.version}:${meta.model_sha256}`,
          description: dir === loc.dir ? loc.dir : `${loc.dir} (CURRENT → ${meta.version})`,
        };
      };
    case 'http-folder':
      return () => resolveHttpFolder(loc.url, join(cacheDir, 'http', hash(loc.url)));
    case 'http-archive':
      return archiveResolver(loc.url, join(cacheDir, 'archive', hash(loc.url)));
    case 'mlflow-alias':
    case 'mlflow-version':
      return mlflowResolver(loc, options, cacheDir);
  }
}

async function resolveHttpFolder(url: string, cache: string): Promise<ResolvedModel> {
  const metaBytes = Buffer.from(await (await httpGet(new URL('metadata.json', url).href)).arrayBuffer());
  const meta = parseMetadata(metaBytes, url);
  const dir = await cachedFolder(
    join(cache, `${safe(meta.version)}-${meta.model_sha256.slice(0, 12)}`),
    async (tmp) => {
      // Only a plain file name: metadata from a server must not choose where we write.
      const file = basename(meta.model_file ?? 'model.onnx');
      const model = await httpGet(new URL(file, url).href, { timeoutMs: 600_000 });
      await writeFile(join(tmp, file), Buffer.from(await model.arrayBuffer()));
      await writeFile(join(tmp, 'metadata.json'), metaBytes);
      return undefined;
    },
  );
  return {
    dir,
    key: `${url}#${meta.version}:${meta.model_sha256}`,
    description: `${url} (version ${meta.version})`,
  };
}

/** Archives are fetched with If-None-Match, so polling an unchanged archive costs a 304, not a download. */
function archiveResolver(url: string, cache: string): () => Promise<ResolvedModel> {
  let last: { etag: string; model: ResolvedModel } | undefined;
  return async () => {
    const res = await httpGet(url, {
      headers: last ? { 'if-none-match': last.etag } : {},
      timeoutMs: 600_000,
    });
    if (res.status === 304 && last) return last.model;
    const bytes = Buffer.from(await res.arrayBuffer());
    const staging = join(cache, `download-${hash(bytes)}`);
    const unpacked = await cachedFolder(staging, async (tmp) => {
      const file = join(tmp, '.archive.tar.gz');
      await writeFile(file, bytes);
      await extract({ file, cwd: tmp, strict: true });
      await rm(file);
      return modelRoot(tmp, url);
    });
    const meta = await readModelMetadata(unpacked);
    const model = {
      dir: unpacked,
      key: `${url}#${meta.version}:${meta.model_sha256}`,
      description: `${url} (version ${meta.version})`,
    };
    const etag = res.headers.get('etag');
    if (etag) last = { etag, model };
    return model;
  };
}

function mlflowResolver(
  loc: Extract<ModelLocation, { kind: 'mlflow-alias' | 'mlflow-version' }>,
  options: ModelSourceOptions,
  cacheDir: string,
): () => Promise<ResolvedModel> {
  if (!options.mlflowTrackingUri) {
    throw new ModelError(
      ErrorCodes.MODEL_NOT_FOUND,
      'a models:/ location needs MLFLOW_TRACKING_URI: set it to the tracking server, e.g. http://127.0.0.1:5000',
    );
  }
  const client = new MlflowClient({ trackingUri: options.mlflowTrackingUri, token: options.mlflowToken });
  const cache = join(cacheDir, 'mlflow', hash(options.mlflowTrackingUri), safe(loc.name));
  const ref =
    loc.kind === 'mlflow-alias' ? `models:/${loc.name}@${loc.alias}` : `models:/${loc.name}/${loc.version}`;
  return async () => {
    const mv =
      loc.kind === 'mlflow-alias'
        ? await client.versionByAlias(loc.name, loc.alias)
        : await client.version(loc.name, loc.version);
    // Registry versions are immutable, so the version number is a sound cache key.
    const dir = await cachedFolder(join(cache, safe(mv.version)), async (tmp) => {
      const uri = await client.downloadUri(loc.name, mv.version).catch(() => mv.source);
      if (!uri)
        throw new ModelError(ErrorCodes.MODEL_NOT_FOUND, `${ref} version ${mv.version} has no source`);
      await client.downloadArtifacts(uri, tmp);
      return modelRoot(tmp, `${ref} version ${mv.version}`);
    });
    return { dir, key: `models:/${loc.name}/${mv.version}`, description: `${ref} → version ${mv.version}` };
  };
}

/**
 * A local MODEL_PATH is a model folder, or a model root (models/ride-duration) whose CURRENT file names the
 * version folder to serve: models/gate.sh rewrites CURRENT on a promotion, and the next poll follows it.
 */
async function localModelDir(dir: string): Promise<string> {
  if (await exists(join(dir, 'metadata.json'))) return dir;
  const currentFile = join(dir, 'CURRENT');
  if (!(await exists(currentFile))) return dir; // readModelMetadata names the missing metadata.json
  const version = (await readFile(currentFile, 'utf8')).trim();
  if (version === '' || /[/\\]/.test(version) || version === '.' || version === '..') {
    throw new ModelError(
      ErrorCodes.MODEL_NOT_FOUND,
      `${currentFile} holds ${JSON.stringify(version)}, not a version folder name: write one (e.g. 1.0.0) into it`,
    );
  }
  const target = join(dir, version);
  if (!(await exists(join(target, 'metadata.json')))) {
    throw new ModelError(
      ErrorCodes.MODEL_NOT_FOUND,
      `${currentFile} names ${version} but ${join(target, 'metadata.json')} does not exist: restore that version folder or point CURRENT at one that exists`,
    );
  }
  return target;
}

/** The folder holding metadata.json: the root, or its only sub-folder (archives usually wrap one). */
async function modelRoot(dir: string, what: string): Promise<string> {
  if (await exists(join(dir, 'metadata.json'))) return dir;
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
  if (entries.length === 1 && (await exists(join(dir, entries[0]!.name, 'metadata.json')))) {
    return join(dir, entries[0]!.name);
  }
  throw new ModelError(
    ErrorCodes.MODEL_NOT_FOUND,
    `${what} has no metadata.json at its root or in one sub-folder`,
  );
}

function parseMetadata(
  bytes: Buffer,
  where: string,
): { version: string; model_sha256: string; model_file?: string } {
  try {
    const meta = JSON.parse(bytes.toString('utf8'));
    if (typeof meta.version === 'string' && typeof meta.model_sha256 === 'string') return meta;
  } catch {
    // reported below
  }
  throw new ModelError(ErrorCodes.MODEL_METADATA_INVALID, `${where}metadata.json is not model metadata`);
}

function hash(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_');
}
