// The Confluent Schema Registry wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then the
// Avro binary body. Kafka Connect, ksqlDB, Flink and Spark's Avro readers expect exactly this framing.
// https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format
import type { AvroType } from './avro-types.js';

export const MAGIC_BYTE = 0;
export const FRAME_HEADER_BYTES = 5;

let scratch = Buffer.allocUnsafe(64 * 1024);

/** Encodes `value` with `type` behind the frame header for `schemaId`, in one exact-size buffer. */
export function encodeFramed(type: AvroType, schemaId: number, value: unknown): Buffer {
  for (;;) {
    const end = type.encode(value, scratch, FRAME_HEADER_BYTES);
    if (end >= 0) {
      const out = Buffer.allocUnsafe(end);
      out.writeUInt8(MAGIC_BYTE, 0);
      out.writeUInt32BE(schemaId, 1);
      scratch.copy(out, FRAME_HEADER_BYTES, FRAME_HEADER_BYTES, end);
      return out;
    }
    // avsc returns minus the bytes missing when the buffer is too small.
    scratch = Buffer.allocUnsafe(2 * (scratch.length - end));
  }
}

/** True when `value` starts like a framed record (a JSON document never starts with a zero byte). */
export function looksFramed(value: Buffer): boolean {
  return value.length > 0 && value[0] === MAGIC_BYTE;
}

/** The schema id of a framed record; undefined when the value is too short to hold the header. */
export function framedSchemaId(value: Buffer): number | undefined {
  return value.length >= FRAME_HEADER_BYTES ? value.readUInt32BE(1) : undefined;
}
