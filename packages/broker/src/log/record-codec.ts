/**
 * The records inside a RecordBatch v2, for the two features that must look inside a batch:
 * ListOffsets by timestamp and compaction. Only uncompressed and gzip bodies are opened (node:zlib
 * has gzip; snappy/lz4/zstd would need native codecs the broker does not carry).
 *
 *   Record: length varint | attributes i8 | timestampDelta varlong | offsetDelta varint
 *           keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value
 *           headerCount varint | headers…   (varints are zig-zag)
 *
 * A compacted batch is rebuilt from the raw bytes of the surviving records: their deltas are
 * relative to the batch's baseOffset and baseTimestamp, which do not change, so no record needs
 * re-encoding.
 */
import { gunzipSync } from 'node:zlib';
import { crc32c } from './crc32c';
import { Attr, BATCH_HEADER_SIZE, LOG_OVERHEAD, codecOf, type BatchHeader } from './record-batch';

const CODEC_NONE = 0;
const CODEC_GZIP = 1;
/** A gzip body may not inflate beyond this (a hostile or corrupt batch must not exhaust memory). */
const MAX_INFLATED = 256 * 1024 * 1024;

/** One record, as positions into the (decompressed) records buffer. */
export interface RecordView {
  offsetDelta: number;
  timestampDelta: number;
  /** A view into the records buffer, or null for a null key. */
  key: Buffer | null;
  valueIsNull: boolean;
  /** Raw record bytes, length prefix included: records[start, end). */
  start: number;
  end: number;
}

/** The records of one batch and the buffer their positions refer to. */
export interface DecodedRecords {
  records: Buffer;
  list: RecordView[];
}

/** Whether the broker can open this batch's records (uncompressed or gzip). */
export function canDecode(h: BatchHeader): boolean {
  const codec = codecOf(h);
  return codec === CODEC_NONE || codec === CODEC_GZIP;
}

/** Decodes the records of the batch at buf[at..]; throws on malformed bytes or an unsupported codec. */
export function decodeRecords(buf: Buffer, at: number, h: BatchHeader): DecodedRecords {
  const body = buf.subarray(at + BATCH_HEADER_SIZE, at + h.size);
  const codec = codecOf(h);
  if (codec !== CODEC_NONE && codec !== CODEC_GZIP) throw new Error(`codec ${codec} is not supported`);
  const records = codec === CODEC_GZIP ? gunzipSync(body, { maxOutputLength: MAX_INFLATED }) : body;
  const c = new Cursor(records);
  const list: RecordView[] = [];
  for (let i = 0; i < h.recordCount; i++) {
    const start = c.pos;
    const length = c.varint();
    const end = c.pos + length;
    if (length < 0 || end > records.length) throw new Error('record runs past its batch');
    c.pos++; // attributes: unused since magic 2
    const timestampDelta = c.varint();
    const offsetDelta = c.varint();
    const key = c.bytes();
    const valueIsNull = c.bytes() === null;
    if (c.pos > end) throw new Error('record fields run past its length');
    list.push({ offsetDelta, timestampDelta, key, valueIsNull, start, end });
    c.pos = end;
  }
  return { records, list };
}

/** Timestamp of a record: LogAppendTime batches stamp one time (maxTimestamp) on all records. */
export function recordTimestamp(h: BatchHeader, r: RecordView): number {
  return h.attributes & Attr.LOG_APPEND_TIME ? h.maxTimestamp : h.baseTimestamp + r.timestampDelta;
}

/**
 * A new, uncompressed batch holding only `keep` (a non-empty subset of `decoded.list`, in order).
 * It keeps the original header — baseOffset, lastOffsetDelta (so offsets are never reused),
 * baseTimestamp, producer fields — with recordCount, maxTimestamp, codec and CRC recomputed.
 */
export function rebuildBatch(buf: Buffer, at: number, h: BatchHeader, decoded: DecodedRecords, keep: readonly RecordView[]): Buffer {
  let bodySize = 0;
  for (const r of keep) bodySize += r.end - r.start;
  const out = Buffer.allocUnsafe(BATCH_HEADER_SIZE + bodySize);
  buf.copy(out, 0, at, at + BATCH_HEADER_SIZE);
  let pos = BATCH_HEADER_SIZE;
  let maxTimestamp = -1;
  for (const r of keep) {
    pos += decoded.records.copy(out, pos, r.start, r.end);
    maxTimestamp = Math.max(maxTimestamp, recordTimestamp(h, r));
  }
  out.writeInt32BE(out.length - LOG_OVERHEAD, 8);
  out.writeInt16BE(h.attributes & ~Attr.CODEC_MASK, 21);
  out.writeBigInt64BE(BigInt(maxTimestamp), 35);
  out.writeInt32BE(keep.length, 57);
  out.writeUInt32BE(crc32c(out, 21), 17);
  return out;
}

/** Zig-zag varint reader over a buffer; bounds-checked because the bytes come from disk. */
class Cursor {
  pos = 0;

  constructor(private readonly buf: Buffer) {}

  /** A zig-zag varint or varlong, exact up to 2^53. */
  varint(): number {
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new Error('varint runs past the end');
      const b = this.buf[this.pos++]!;
      raw += (b & 0x7f) * scale;
      if (b < 0x80) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      scale *= 128;
    }
    throw new Error('varint longer than 10 bytes');
  }

  /** Length-prefixed bytes (a view), or null for length -1. */
  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const end = this.pos + length;
    if (end > this.buf.length) throw new Error('field runs past the end');
    const view = this.buf.subarray(this.pos, end);
    this.pos = end;
    return view;
  }
}
