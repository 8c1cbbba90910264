/**
 * RecordBatch v2 header: the only part of a batch the broker reads. Bodies (records, maybe
 * compressed) are stored and served exactly as the producer sent them; the broker rewrites only
 * baseOffset (bytes 0–7) and partitionLeaderEpoch (12–15), which the CRC does not cover.
 *
 *   baseOffset i64 | length i32 | partitionLeaderEpoch i32 | magic i8 (=2) | crc u32 (CRC-32C of 21..end)
 *   attributes i16 | lastOffsetDelta i32 | baseTimestamp i64 | maxTimestamp i64
 *   producerId i64 | producerEpoch i16 | baseSequence i32 | recordCount i32 | records…
 */
import { crc32c } from './crc32c';

export const BATCH_HEADER_SIZE = 61;
/** baseOffset + length: the part of a batch not counted by `length`. */
export const LOG_OVERHEAD = 12;

export const Attr = {
  CODEC_MASK: 0x07,
  LOG_APPEND_TIME: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
} as const;

export interface BatchHeader {
  baseOffset: number;
  /** Whole batch size in bytes, including the 12 bytes of baseOffset + length. */
  size: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

function int64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 0x1_0000_0000 + buf.readUInt32BE(at + 4);
}

/** Reads the header of the batch at `at`, or null when fewer than 61 bytes remain. */
export function readBatchHeader(buf: Buffer, at = 0): BatchHeader | null {
  if (buf.length - at < BATCH_HEADER_SIZE) return null;
  return {
    baseOffset: int64(buf, at),
    size: buf.readInt32BE(at + 8) + LOG_OVERHEAD,
    magic: buf.readInt8(at + 16),
    crc: buf.readUInt32BE(at + 17),
    attributes: buf.readInt16BE(at + 21),
    lastOffsetDelta: buf.readInt32BE(at + 23),
    baseTimestamp: int64(buf, at + 27),
    maxTimestamp: int64(buf, at + 35),
    producerId: int64(buf, at + 43),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordCount: buf.readInt32BE(at + 57),
  };
}

export const isTransactional = (h: BatchHeader): boolean => (h.attributes & Attr.TRANSACTIONAL) !== 0;
export const isControl = (h: BatchHeader): boolean => (h.attributes & Attr.CONTROL) !== 0;
export const codecOf = (h: BatchHeader): number => h.attributes & Attr.CODEC_MASK;

/** Why a batch is not acceptable, or null when it is: the checks Kafka and kfake make on produce. */
export function validateBatch(buf: Buffer, h: BatchHeader, maxBytes: number, fromClient: boolean): string | null {
  if (h.magic !== 2) return `magic ${h.magic}, only RecordBatch v2 is supported`;
  if (h.size !== buf.length) return `length field says ${h.size} bytes, batch has ${buf.length}`;
  if (h.size > maxBytes) return `batch of ${h.size} bytes exceeds message.max.bytes ${maxBytes}`;
  if (h.recordCount < 1) return `a batch must hold at least one record, got ${h.recordCount}`;
  if (fromClient && h.producerId >= 0 && h.baseSequence < 0) return `producer ${h.producerId} sent a batch without a sequence number`;
  if (h.lastOffsetDelta !== h.recordCount - 1) {
    return `lastOffsetDelta ${h.lastOffsetDelta} does not match recordCount ${h.recordCount}`;
  }
  if (codecOf(h) > 4) return `unknown compression codec ${codecOf(h)}`;
  if (fromClient && isControl(h)) return 'clients may not write control batches';
  if (crc32c(buf, 21) !== h.crc) return 'CRC-32C mismatch';
  return null;
}

/** Rewrites the broker-owned header fields in place. */
export function stampBatch(buf: Buffer, at: number, baseOffset: number, leaderEpoch: number): void {
  buf.writeBigInt64BE(BigInt(baseOffset), at);
  buf.writeInt32BE(leaderEpoch, at + 12);
}

/** Control record types (key = int16 version 0 + int16 type). */
export const ControlType = { ABORT: 0, COMMIT: 1 } as const;

/**
 * Builds a one-record control batch (EndTxn markers), as Kafka writes them:
 * attributes TRANSACTIONAL|CONTROL, key = version 0 + type, value = version 0 + coordinatorEpoch.
 */
export function buildControlBatch(producerId: number, producerEpoch: number, type: number, timestamp: number): Buffer {
  // Record: length varint, attributes i8, tsDelta varlong, offsetDelta varint, keyLen, key(4), valueLen, value(6), headers
  const key = Buffer.from([0, 0, 0, type]);
  const value = Buffer.from([0, 0, 0, 0, 0, 0]);
  const recordBody = Buffer.concat([
    Buffer.from([0, 0, 0]), // attributes 0, timestampDelta 0, offsetDelta 0
    Buffer.from([key.length * 2]),
    key,
    Buffer.from([value.length * 2]),
    value,
    Buffer.from([0]), // no headers
  ]);
  const record = Buffer.concat([Buffer.from([recordBody.length * 2]), recordBody]);
  const buf = Buffer.alloc(BATCH_HEADER_SIZE + record.length);
  buf.writeInt32BE(buf.length - LOG_OVERHEAD, 8);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(Attr.TRANSACTIONAL | Attr.CONTROL, 21);
  buf.writeInt32BE(0, 23);
  buf.writeBigInt64BE(BigInt(timestamp), 27);
  buf.writeBigInt64BE(BigInt(timestamp), 35);
  buf.writeBigInt64BE(BigInt(producerId), 43);
  buf.writeInt16BE(producerEpoch, 51);
  buf.writeInt32BE(-1, 53);
  buf.writeInt32BE(1, 57);
  record.copy(buf, BATCH_HEADER_SIZE);
  buf.writeUInt32BE(crc32c(buf, 21), 17);
  return buf;
}

/** The control type of a control batch (reads the first record's key), or null if unreadable. */
export function controlTypeOf(buf: Buffer, at: number, h: BatchHeader): number | null {
  if (!isControl(h) || h.recordCount < 1) return null;
  // Skip length varint (1 byte for a small record), attributes, tsDelta, offsetDelta, keyLen: all 1 byte here.
  const keyStart = at + BATCH_HEADER_SIZE + 5;
  if (keyStart + 4 > at + h.size) return null;
  return buf.readInt16BE(keyStart + 2);
}
