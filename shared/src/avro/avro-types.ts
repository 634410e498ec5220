// The only file that builds avsc types. Schemas are read from the .avsc files beside the sources; the
// relative URL resolves to shared/src/avro from both shared/src (tsx, vitest) and shared/dist (compiled).
import { readFileSync } from 'node:fs';
import avro from 'avsc';

export type AvroType = avro.Type;
export type AvroResolver = ReturnType<avro.Type['createResolver']>;

/** One of our .avsc files: its text (as registered with a schema registry), parsed type and fixed schema id. */
export interface OurSchema {
  file: string;
  text: string;
  type: AvroType;
  fixedId: number;
}

function readAvroFile(name: string): string {
  return readFileSync(new URL(`../../src/avro/${name}`, import.meta.url), 'utf8');
}

const fixedIds: Record<string, number> = JSON.parse(readAvroFile('schema-ids.json')).ids;

/** Parses an Avro schema's JSON text; timestamp-millis stays a plain number of epoch ms (no logical-type hooks). */
export function parseAvroSchema(text: string): AvroType {
  return avro.Type.forSchema(JSON.parse(text));
}

function loadSchema(file: string): OurSchema {
  const text = readAvroFile(file);
  const fixedId = fixedIds[file];
  if (fixedId === undefined) throw new Error(`shared/src/avro/schema-ids.json declares no id for ${file}`);
  // Registries compare schemas by their canonical form, so the text is stored compact.
  return { file, text: JSON.stringify(JSON.parse(text)), type: parseAvroSchema(text), fixedId };
}

export const rideStartedSchemas: Readonly<Record<number, OurSchema>> = Object.freeze({
  1: loadSchema('ride-started.v1.avsc'),
  2: loadSchema('ride-started.v2.avsc'),
});
export const RIDE_STARTED_LATEST = 2;

export const ridePredictionSchemas: Readonly<Record<number, OurSchema>> = Object.freeze({
  1: loadSchema('ride-prediction.v1.avsc'),
});
export const RIDE_PREDICTION_LATEST = 1;

export const rideCompletedSchemas: Readonly<Record<number, OurSchema>> = Object.freeze({
  1: loadSchema('ride-completed.v1.avsc'),
});
export const RIDE_COMPLETED_LATEST = 1;

const typesOf = (schemas: Readonly<Record<number, OurSchema>>): Readonly<Record<number, AvroType>> =>
  Object.freeze(Object.fromEntries(Object.entries(schemas).map(([version, s]) => [version, s.type])));
export const rideStartedTypes = typesOf(rideStartedSchemas);
export const ridePredictionTypes = typesOf(ridePredictionSchemas);
export const rideCompletedTypes = typesOf(rideCompletedSchemas);

/** A resolver that reads data written with `writer` as if it had been written with `reader` (Avro schema resolution). */
export function createResolver(reader: AvroType, writer: AvroType): AvroResolver {
  return reader.createResolver(writer);
}
