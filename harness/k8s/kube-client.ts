import { request } from 'node:https';
import type { Manifest } from './helm.js';

/** A refusal of the API server: its HTTP status and the Status message it gave. */
export class KubeApiError extends Error {
  readonly code = 'KUBE_API_REFUSED';
  readonly status: number;
  readonly path: string;
  constructor(status: number, path: string, reason: string) {
    super(`${status} on ${path}: ${reason}`);
    this.name = 'KubeApiError';
    this.status = status;
    this.path = path;
  }
}

/** An answer's JSON; a plain-text one (`/readyz`'s "ok") as `{ text }`. */
function parseJson(text: string): KubeObject {
  if (text === '') return {};
  try {
    return JSON.parse(text) as KubeObject;
  } catch {
    return { text };
  }
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: an API object is whatever its kind says.
export type KubeObject = Record<string, any>;

/**
 * The few calls the harness makes to a Kubernetes API server, over HTTPS with a bearer token: discovery, get,
 * server-side apply (with or without a dry run) and delete. Paths come from discovery, as kubectl finds them, so
 * custom resources (KEDA's) are reached the same way once their CRDs are established.
 */
export class KubeClient {
  private readonly resources = new Map<string, Promise<ApiResource[]>>();
  readonly server: string;
  private readonly token: string;
  private readonly caPem: string;

  constructor(server: string, token: string, caPem: string) {
    this.server = server;
    this.token = token;
    this.caPem = caPem;
  }

  /** One request; the parsed JSON answer, or a KubeApiError for a status of 400 and above. */
  async call(
    method: string,
    path: string,
    body?: string,
    contentType = 'application/json',
  ): Promise<KubeObject> {
    const { status, text } = await this.send(method, path, body, contentType);
    const json = parseJson(text);
    if (status >= 400) throw new KubeApiError(status, path, json.message ?? text);
    return json;
  }

  /** GET, or undefined on 404. */
  async get(path: string): Promise<KubeObject | undefined> {
    try {
      return await this.call('GET', path);
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** The REST path of an object of this apiVersion and kind (its collection when `name` is omitted). */
  async pathOf(apiVersion: string, kind: string, namespace: string, name?: string): Promise<string> {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const resource = (await this.discover(base)).find((r) => r.kind === kind && !r.name.includes('/'));
    if (resource === undefined)
      throw new KubeApiError(404, base, `the server has no kind ${kind} in ${apiVersion}`);
    const scope = resource.namespaced ? `/namespaces/${namespace}` : '';
    return `${base}${scope}/${resource.name}${name === undefined ? '' : `/${name}`}`;
  }

  /**
   * Server-side apply of one manifest, as `kubectl apply --server-side` does, with strict field validation (an
   * unknown field is refused, not dropped). `dryRun` runs admission and validation and stores nothing.
   */
  async apply(
    manifest: Manifest,
    namespace: string,
    options: { dryRun?: boolean } = {},
  ): Promise<KubeObject> {
    const path = await this.pathOf(manifest.apiVersion, manifest.kind, namespace, manifest.metadata.name);
    const query = new URLSearchParams({
      fieldManager: 'ride-harness',
      force: 'true',
      fieldValidation: 'Strict',
    });
    if (options.dryRun) query.set('dryRun', 'All');
    return this.call('PATCH', `${path}?${query}`, JSON.stringify(manifest), 'application/apply-patch+yaml');
  }

  /** Forgets discovered resources (after new CRDs are established). */
  forgetDiscovery(): void {
    this.resources.clear();
  }

  private discover(base: string): Promise<ApiResource[]> {
    let found = this.resources.get(base);
    if (found === undefined) {
      found = this.call('GET', base).then((list) => list.resources as ApiResource[]);
      found.catch(() => this.resources.delete(base));
      this.resources.set(base, found);
    }
    return found;
  }

  private send(
    method: string,
    path: string,
    body: string | undefined,
    contentType: string,
  ): Promise<{ status: number; text: string }> {
    const url = new URL(path, this.server);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.caPem,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': contentType }),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
