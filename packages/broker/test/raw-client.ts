/**
 * A minimal raw Kafka client for tests that must control exact bytes: hand-built record batches,
 * replayed sequence numbers, malformed frames. Responses are matched by correlation id.
 */
import { connect, type Socket } from 'node:net';
import { Writer } from '../src/protocol/writer';
import { Reader } from '../src/protocol/reader';
import { crc32c } from '../src/log/crc32c';

export interface BatchSpec {
  records: { key?: string | null; value: string | null; timestampDelta?: number }[];
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  baseTimestamp?: number;
}

/** Encodes an uncompressed RecordBatch v2 with a valid CRC-32C. */
export function buildBatch(spec: BatchSpec): Buffer {
  const body = new Writer();
  spec.records.forEach((r, i) => {
    const rec = new Writer();
    rec.int8(0).varint(r.timestampDelta ?? 0).varint(i);
    if (r.key === undefined || r.key === null) rec.varint(-1);
    else rec.varint(Buffer.byteLength(r.key)).raw(Buffer.from(r.key));
    if (r.value === null) rec.varint(-1);
    else rec.varint(Buffer.byteLength(r.value)).raw(Buffer.from(r.value));
    rec.varint(0);
    const bytes = rec.finish();
    body.varint(bytes.length).raw(bytes);
  });
  const records = body.finish();
  const ts = spec.baseTimestamp ?? Date.now();
  const w = new Writer();
  w.int64(0).int32(49 + records.length).int32(0).int8(2).uint32(0);
  w.int16(spec.transactional ? 0x10 : 0).int32(spec.records.length - 1).int64(ts).int64(ts);
  w.int64(spec.producerId ?? -1).int16(spec.producerEpoch ?? -1).int32(spec.baseSequence ?? -1).int32(spec.records.length);
  w.raw(records);
  const batch = Buffer.from(w.finish());
  batch.writeUInt32BE(crc32c(batch, 21), 17);
  return batch;
}

export class RawClient {
  private buffered = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Reader) => void>();
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
      const size = this.buffered.readInt32BE(0);
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const r = new Reader(frame);
      const id = r.int32();
      this.waiting.get(id)?.(r);
      this.waiting.delete(id);
    }
  }

  /** Sends a request (header v1) and resolves with a reader positioned at the response body. */
  request(apiKey: number, version: number, body: (w: Writer) => void): Promise<Reader> {
    const id = this.nextId++;
    const w = new Writer();
    const size = w.placeholder32();
    w.int16(apiKey).int16(version).int32(id).nullableString('raw-test');
    body(w);
    w.patch32(size, w.length - 4);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, resolve);
      this.socket.once('close', () => reject(new Error('connection closed')));
      this.socket.write(Buffer.from(w.finish()));
    });
  }

  /** Writes arbitrary bytes (fuzzing). */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Produce v7 of one batch to one partition; returns [errorCode, baseOffset]. */
  async produce(topic: string, partition: number, batch: Buffer, transactionalId: string | null = null): Promise<{ errorCode: number; baseOffset: number }> {
    const r = await this.request(0, 7, (w) => {
      w.nullableString(transactionalId).int16(-1).int32(5000);
      w.array([0], (w) => w.string(topic).array([0], (w) => w.int32(partition).bytes(batch)));
    });
    r.int32(); // topics count
    r.string();
    r.int32(); // partitions count
    r.int32(); // index
    const errorCode = r.int16();
    const baseOffset = r.int64();
    return { errorCode, baseOffset };
  }

  /** InitProducerId v1 → [producerId, epoch]. */
  async initProducerId(transactionalId: string | null = null, timeoutMs = 60_000): Promise<{ errorCode: number; producerId: number; epoch: number }> {
    const r = await this.request(22, 1, (w) => w.nullableString(transactionalId).int32(timeoutMs));
    r.int32();
    return { errorCode: r.int16(), producerId: r.int64(), epoch: r.int16() };
  }

  close(): void {
    this.socket.destroy();
  }
}
