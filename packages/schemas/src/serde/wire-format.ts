/**
 * The Confluent wire format: byte 0 = magic 0, bytes 1-4 = big-endian int32 schema id, then the
 * Avro binary body. Every Kafka client with a Confluent serializer reads and writes exactly this.
 */
import { SerdeError } from './errors';

export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** Reads the schema id of a framed record, refusing anything that is not framed. */
export function readSchemaId(record: Buffer): number {
  if (record.length < HEADER_SIZE) {
    throw new SerdeError('not_confluent_framed', `record is ${record.length} bytes; the Confluent wire format needs at least ${HEADER_SIZE}`);
  }
  if (record[0] !== MAGIC_BYTE) {
    throw new SerdeError('not_confluent_framed', `record starts with byte ${record[0]}; the Confluent wire format starts with magic byte 0`);
  }
  return record.readInt32BE(1);
}

/** Writes the 5-byte header for `schemaId` at the start of `target`. */
export function writeHeader(target: Buffer, schemaId: number): void {
  target[0] = MAGIC_BYTE;
  target.writeInt32BE(schemaId, 1);
}
