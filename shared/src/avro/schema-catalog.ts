import { ErrorCodes, EventError, SchemaRegistryError } from '../errors.js';
import {
  type AvroResolver,
  type AvroType,
  createResolver,
  type OurSchema,
  parseAvroSchema,
  RIDE_COMPLETED_LATEST,
  RIDE_PREDICTION_LATEST,
  RIDE_STARTED_LATEST,
  rideCompletedSchemas,
  ridePredictionSchemas,
  rideStartedSchemas,
} from './avro-types.js';
import { SchemaRegistryClient } from './schema-registry-client.js';
import { FRAME_HEADER_BYTES, framedSchemaId, looksFramed } from './wire-format.js';

export type RecordKind = 'ride-started' | 'ride-prediction' | 'ride-completed';

const ours: Record<RecordKind, { schemas: Readonly<Record<number, OurSchema>>; latest: number }> = {
  'ride-started': { schemas: rideStartedSchemas, latest: RIDE_STARTED_LATEST },
  'ride-prediction': { schemas: ridePredictionSchemas, latest: RIDE_PREDICTION_LATEST },
  'ride-completed': { schemas: rideCompletedSchemas, latest: RIDE_COMPLETED_LATEST },
};

/** The subjects a process writes to, by the registry's TopicNameStrategy: `<topic>-value`. */
export interface WrittenTopics {
  'ride-started'?: readonly string[];
  'ride-prediction'?: readonly string[];
  'ride-completed'?: readonly string[];
}

export const valueSubject = (topic: string): string => `${topic}-value`;

/**
 * The catalog a process starts with: registered with SCHEMA_REGISTRY_URL when it is set, the fixed ids otherwise.
 * A registry that refuses or cannot be reached stops the start with a message that names the fix.
 */
export async function openSchemaCatalog(
  registryUrl: string | undefined,
  topics: WrittenTopics,
): Promise<SchemaCatalog> {
  if (registryUrl === undefined) return SchemaCatalog.fixed();
  try {
    return await SchemaCatalog.registered(new SchemaRegistryClient({ url: registryUrl }), topics);
  } catch (err) {
    throw new SchemaRegistryError(
      `could not register our Avro schemas with SCHEMA_REGISTRY_URL: ${(err as Error).message}. ` +
        'Check that the registry is up at that URL, or unset SCHEMA_REGISTRY_URL to use the fixed schema ids',
      { cause: err },
    );
  }
}

/**
 * Which schema id a process writes, and which writer schema a framed record's id names. Without a registry the ids
 * are the fixed ones of schema-ids.json; with one, ours are registered at start and unknown ids are fetched (`learn`)
 * before a batch is decoded, so decoding itself stays synchronous.
 */
export class SchemaCatalog {
  private readonly registry: SchemaRegistryClient | undefined;
  /** `kind` (fixed ids) or `kind:topic` (registered) → the id this process writes. */
  private readonly writeIds = new Map<string, number>();
  /** Schema id → writer type, or why that id cannot be read. */
  private readonly writers = new Map<number, AvroType | string>();
  /** Per kind, id → resolver into our latest reader schema, or why the writer cannot be read as it. */
  private readonly resolvers: Record<
    RecordKind,
    Map<number, { resolver: AvroResolver | undefined } | string>
  > = {
    'ride-started': new Map(),
    'ride-prediction': new Map(),
    'ride-completed': new Map(),
  };

  private constructor(registry: SchemaRegistryClient | undefined) {
    this.registry = registry;
  }

  /** Our schemas under their fixed ids: every process agrees on them with no registry. */
  static fixed(): SchemaCatalog {
    const catalog = new SchemaCatalog(undefined);
    for (const [kind, { schemas, latest }] of Object.entries(ours)) {
      for (const schema of Object.values(schemas)) catalog.writers.set(schema.fixedId, schema.type);
      catalog.writeIds.set(kind, schemas[latest]!.fixedId);
    }
    return catalog;
  }

  /** Registers our latest schemas under the subjects of the topics this process writes; fails if the registry does. */
  static async registered(registry: SchemaRegistryClient, topics: WrittenTopics): Promise<SchemaCatalog> {
    const catalog = new SchemaCatalog(registry);
    for (const kind of Object.keys(ours) as RecordKind[]) {
      const schema = ours[kind].schemas[ours[kind].latest]!;
      for (const topic of topics[kind] ?? []) {
        const id = await registry.register(valueSubject(topic), schema.text);
        catalog.writeIds.set(`${kind}:${topic}`, id);
        catalog.writers.set(id, schema.type);
      }
    }
    return catalog;
  }

  /** The schema id records of `kind` written to `topic` carry. */
  writeId(kind: RecordKind, topic: string): number {
    const id = this.writeIds.get(this.registry === undefined ? kind : `${kind}:${topic}`);
    if (id === undefined) throw new Error(`no ${kind} schema registered for topic ${topic}`);
    return id;
  }

  /** Fetches the writer schemas of framed values whose ids are not known yet (nothing to do without a registry). */
  async learn(values: Iterable<Buffer | null>): Promise<void> {
    const registry = this.registry;
    if (registry === undefined) return;
    const missing = new Set<number>();
    for (const value of values) {
      if (value === null || !looksFramed(value)) continue;
      const id = framedSchemaId(value);
      if (id !== undefined && !this.writers.has(id)) missing.add(id);
    }
    for (const id of missing) {
      const text = await registry.schemaById(id);
      if (text === undefined) {
        this.writers.set(id, `schema id ${id} is not in the schema registry`);
        continue;
      }
      try {
        this.writers.set(id, parseAvroSchema(text));
      } catch (err) {
        this.writers.set(id, `schema id ${id} is not a valid Avro schema: ${(err as Error).message}`);
      }
    }
  }

  /** Decodes a framed record of `kind` into our latest schema for it; an EventError says why it cannot be. */
  decode(kind: RecordKind, value: Buffer): unknown {
    const id = framedSchemaId(value);
    if (id === undefined) {
      throw new EventError(
        ErrorCodes.DECODE_FAILED,
        `framed Avro of ${value.length} bytes has no 5-byte header`,
      );
    }
    const resolver = this.resolver(kind, id);
    const reader = ours[kind].schemas[ours[kind].latest]!.type;
    let decoded: { value: unknown; offset: number };
    try {
      decoded = reader.decode(value, FRAME_HEADER_BYTES, resolver);
    } catch (err) {
      throw new EventError(ErrorCodes.DECODE_FAILED, `Avro decode failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (decoded.offset !== value.length) {
      const why = decoded.offset < 0 ? 'truncated' : `${value.length - decoded.offset} trailing bytes`;
      throw new EventError(ErrorCodes.DECODE_FAILED, `Avro decode failed: body ${why} (schema id ${id})`);
    }
    return decoded.value;
  }

  /** The resolver for `kind` records written with schema `id`; undefined when the writer is our reader itself. */
  private resolver(kind: RecordKind, id: number): AvroResolver | undefined {
    // Looked up once per decoded record: keyed by kind, then id, with no string built per record.
    const resolvers = this.resolvers[kind];
    let found = resolvers.get(id);
    if (found === undefined) {
      found = this.resolve(kind, id);
      // An id a registry was not asked about yet is not remembered: `learn` may still find it.
      if (this.writers.has(id)) resolvers.set(id, found);
    }
    if (typeof found === 'string') throw new EventError(ErrorCodes.UNKNOWN_SCHEMA, found);
    return found.resolver;
  }

  private resolve(kind: RecordKind, id: number): { resolver: AvroResolver | undefined } | string {
    const writer = this.writers.get(id);
    if (writer === undefined) {
      return this.registry === undefined
        ? `schema id ${id} is none of ours (schema-ids.json: ${[...this.writers.keys()].join(', ')}) and no ` +
            'SCHEMA_REGISTRY_URL is set'
        : `schema id ${id} was not looked up in the schema registry`;
    }
    if (typeof writer === 'string') return writer;
    const reader = ours[kind].schemas[ours[kind].latest]!.type;
    // Reading with the writer's own schema needs no resolution (and is the fast path).
    if (writer === reader || writer.equals(reader)) return { resolver: undefined };
    try {
      return { resolver: createResolver(reader, writer) };
    } catch (err) {
      return `schema id ${id} cannot be read as ${kind}: ${(err as Error).message}`;
    }
  }
}
