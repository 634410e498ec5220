// The only file that builds avsc types. Schemas are read from the .avsc files beside the sources; the
// relative URL resolves to shared/src/avro from both shared/src (tsx, vitest) and shared/dist (compiled).
import { readFileSync } from 'node:fs';
import avro from 'avsc';

export type AvroType = avro.Type;
export type AvroResolver = ReturnType<avro.Type['createResolver']>;

function loadSchema(file: string): AvroType {
  const text = readFileSync(new URL(`../../src/avro/${file}`, import.meta.url), 'utf8');
  // timestamp-millis stays a plain number of epoch milliseconds (no logical-type hooks registered).
  return avro.Type.forSchema(JSON.parse(text));
}

export const rideStartedTypes: Readonly<Record<number, AvroType>> = Object.freeze({
  1: loadSchema('ride-started.v1.avsc'),
  2: loadSchema('ride-started.v2.avsc'),
});
export const RIDE_STARTED_LATEST = 2;

export const ridePredictionTypes: Readonly<Record<number, AvroType>> = Object.freeze({
  1: loadSchema('ride-prediction.v1.avsc'),
});
export const RIDE_PREDICTION_LATEST = 1;

/** A resolver that reads data written with `writer` as if it had been written with `reader` (Avro schema resolution). */
export function createResolver(reader: AvroType, writer: AvroType): AvroResolver {
  return reader.createResolver(writer);
}
