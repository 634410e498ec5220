import { SchemaRegistryError } from '../errors.js';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export interface SchemaRegistryOptions {
  /** Base URL, e.g. http://registry:8081; user:password in it becomes basic auth. */
  url: string;
  timeoutMs?: number;
}

/**
 * The Confluent Schema Registry REST calls we use (Karapace, Apicurio's ccompat API and Redpanda speak the same):
 * register a schema under a subject, and fetch a schema by its global id.
 */
export class SchemaRegistryClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: SchemaRegistryOptions) {
    const url = new URL(options.url);
    this.headers = { accept: CONTENT_TYPE, 'content-type': CONTENT_TYPE };
    if (url.username !== '') {
      const auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.headers.authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.base = url.href.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Registers `schema` (Avro JSON text) under `subject`, or finds it there; returns its global schema id. */
  async register(subject: string, schema: string): Promise<number> {
    const body = await this.request<{ id?: unknown }>(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      { schema, schemaType: 'AVRO' },
    );
    if (body === undefined || !Number.isInteger(body.id)) {
      throw new SchemaRegistryError(`registering under ${subject} answered no schema id`);
    }
    return body.id as number;
  }

  /** The Avro schema text registered with global id `id`; undefined when the registry knows no such id. */
  async schemaById(id: number): Promise<string | undefined> {
    const body = await this.request<{ schema?: unknown }>('GET', `/schemas/ids/${id}`);
    if (body === undefined) return undefined;
    if (typeof body.schema !== 'string') throw new SchemaRegistryError(`schema id ${id} answered no schema`);
    return body.schema;
  }

  /** JSON body of a 2xx answer; undefined for 404; a SchemaRegistryError naming the call otherwise. */
  private async request<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    const what = `${method} ${this.base}${path}`;
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: this.headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new SchemaRegistryError(`${what} failed: ${(err as Error).message}`, {
        cause: err,
        retriable: true,
      });
    }
    if (res.status === 404) return undefined;
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      throw new SchemaRegistryError(`${what} answered ${res.status}: ${text.slice(0, 300)}`, {
        retriable: res.status >= 500 || res.status === 429,
        details: { status: res.status },
      });
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new SchemaRegistryError(`${what} did not answer JSON`, { cause: err });
    }
  }
}
