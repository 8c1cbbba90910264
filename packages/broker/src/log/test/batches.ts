/**
 * Test fixtures for the log: real RecordBatch v2 buffers (CRC-32C, uncompressed or gzip, keys,
 * values, headers, timestamps) built independently of the code under test, a kafkajs decoder to
 * check what the log serves, and temp directories.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { crc32c } from '../crc32c';
import type { PartitionLog } from '../partition-log';
import { readBatchHeader, type BatchHeader } from '../record-batch';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../types';

/** One record to put in a test batch. */
export interface TestRecord {
  key: string | null;
  value: string | null;
  timestamp: number;
  headers?: Record<string, string>;
  /** Defaults to the record's position in the batch. */
  offsetDelta?: number;
}

/** Header fields of a test batch (defaults: uncompressed, no producer). */
export interface BatchOptions {
  codec?: 'none' | 'gzip';
  transactional?: boolean;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
}

/** Zig-zag varint (also fine for varlongs below 2^53). */
function varint(n: number): Buffer {
  let zz = n >= 0 ? n * 2 : -n * 2 - 1;
  const bytes: number[] = [];
  while (zz >= 0x80) {
    bytes.push((zz % 128) | 0x80);
    zz = Math.floor(zz / 128);
  }
  bytes.push(zz);
  return Buffer.from(bytes);
}

function bytesField(s: string | null): Buffer {
  if (s === null) return varint(-1);
  const b = Buffer.from(s);
  return Buffer.concat([varint(b.length), b]);
}

function encodeRecord(r: TestRecord, index: number, baseTimestamp: number): Buffer {
  const headers = Object.entries(r.headers ?? {});
  const body = Buffer.concat([
    Buffer.from([0]),
    varint(r.timestamp - baseTimestamp),
    varint(r.offsetDelta ?? index),
    bytesField(r.key),
    bytesField(r.value),
    varint(headers.length),
    ...headers.flatMap(([k, v]) => [bytesField(k), bytesField(v)]),
  ]);
  return Buffer.concat([varint(body.length), body]);
}

/** A RecordBatch v2 as a producer sends it (baseOffset 0). */
export function buildBatch(records: readonly TestRecord[], opts: BatchOptions = {}): Buffer {
  const first = records[0];
  if (!first) throw new Error('a batch needs records');
  const baseTimestamp = first.timestamp;
  const maxTimestamp = Math.max(...records.map((r) => r.timestamp));
  const lastOffsetDelta = Math.max(...records.map((r, i) => r.offsetDelta ?? i));
  let body = Buffer.concat(records.map((r, i) => encodeRecord(r, i, baseTimestamp)));
  if (opts.codec === 'gzip') body = gzipSync(body);
  const buf = Buffer.alloc(61 + body.length);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(-1, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE((opts.codec === 'gzip' ? 1 : 0) | (opts.transactional ? 0x10 : 0), 21);
  buf.writeInt32BE(lastOffsetDelta, 23);
  buf.writeBigInt64BE(BigInt(baseTimestamp), 27);
  buf.writeBigInt64BE(BigInt(maxTimestamp), 35);
  buf.writeBigInt64BE(BigInt(opts.producerId ?? -1), 43);
  buf.writeInt16BE(opts.producerEpoch ?? -1, 51);
  buf.writeInt32BE(opts.baseSequence ?? -1, 53);
  buf.writeInt32BE(records.length, 57);
  body.copy(buf, 61);
  buf.writeUInt32BE(crc32c(buf, 21), 17);
  return buf;
}

/** `n` records key-i/value-i (value padded to `valueBytes`), timestamps from `ts` on. */
export function recordsOf(n: number, opts: { prefix?: string; ts?: number; valueBytes?: number } = {}): TestRecord[] {
  const prefix = opts.prefix ?? 'k';
  return Array.from({ length: n }, (_, i) => ({
    key: `${prefix}-${i}`,
    value: `v-${prefix}-${i}`.padEnd(opts.valueBytes ?? 0, '.'),
    timestamp: (opts.ts ?? 1_700_000_000_000) + i,
  }));
}

/** A record as kafkajs 2.2.4's consumer decodes it (offset and timestamp as strings). */
export interface DecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}

const requireKafkajs = createRequire(__filename);
type KafkajsDecoder = new (buf: Buffer) => unknown;
const KafkajsDecoder = requireKafkajs('kafkajs/src/protocol/decoder') as KafkajsDecoder;
const decodeMessages = requireKafkajs('kafkajs/src/protocol/requests/fetch/v4/decodeMessages') as (d: unknown) => Promise<DecodedRecord[]>;

/** Decodes a Fetch `records` field exactly as kafkajs's consumer does. */
export function kafkajsDecode(records: Buffer): Promise<DecodedRecord[]> {
  const framed = Buffer.alloc(4 + records.length);
  framed.writeInt32BE(records.length, 0);
  records.copy(framed, 4);
  return decodeMessages(new KafkajsDecoder(framed));
}

/** Decoded records as [offset, key, value] triples, for readable assertions. */
export async function triples(records: Buffer): Promise<Array<[number, string | null, string | null]>> {
  return (await kafkajsDecode(records)).map((r) => [Number(r.offset), r.key?.toString() ?? null, r.value?.toString() ?? null]);
}

/** A fresh temp directory for one test, and its partition subdirectory. */
export function tempLogDir(): { root: string; dir: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'stratum-log-'));
  return { root, dir: join(root, 'topic-0'), remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** LogConfig for tests: defaults with overrides. */
export function logConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...DEFAULT_LOG_CONFIG, ...overrides };
}


/** Headers of the whole batches in a fetch response. */
export function headersIn(records: Buffer): BatchHeader[] {
  const out: BatchHeader[] = [];
  for (let at = 0; ; ) {
    const h = readBatchHeader(records, at);
    if (!h || at + h.size > records.length) return out;
    out.push(h);
    at += h.size;
  }
}

/** Everything from the log start on, as a consumer would fetch it (one segment per read). */
export function readAll(log: PartitionLog, maxBytes = 1 << 30): Buffer {
  const parts: Buffer[] = [];
  for (let offset = log.logStartOffset; ; ) {
    const chunk = log.read(offset, log.logEndOffset, maxBytes);
    const last = headersIn(chunk).at(-1);
    if (!last) return Buffer.concat(parts);
    parts.push(chunk);
    offset = last.baseOffset + last.lastOffsetDelta + 1;
  }
}
