/**
 * Sequential reader of whole batches from a segment file, for the slow paths that look at every
 * batch (recovery, scan, compaction). It reads in large chunks so a 64 MiB segment costs a few
 * dozen syscalls, and hands out views into its chunk buffer: a view is valid only until next().
 */
import { readFully } from './file-io';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, readBatchHeader, type BatchHeader } from './record-batch';

const CHUNK = 1024 * 1024;

/** One batch in the chunk buffer: bytes buf[at, at + header.size), at file `position`. */
export interface BatchView {
  buf: Buffer;
  at: number;
  position: number;
  header: BatchHeader;
}

/** Reads the whole batches of one file range in order, in large chunks. */
export class BatchReader {
  private buf = Buffer.allocUnsafe(0);
  /** File position of buf[0] and how many bytes of buf are valid. */
  private bufStart = 0;
  private bufLen = 0;
  /** File position of the next batch; after a null from next(), where the whole batches end. */
  position: number;

  constructor(
    private readonly fd: number,
    start: number,
    private readonly end: number,
  ) {
    this.position = start;
  }

  /**
   * The next whole batch, or null at the end of the range or when the bytes there cannot be a
   * whole batch (fewer than a header, a length field out of range): the caller compares
   * `position` with the end to tell a clean end from a torn one.
   */
  next(): BatchView | null {
    const remaining = this.end - this.position;
    if (remaining < BATCH_HEADER_SIZE) return null;
    if (!this.ensure(this.position, BATCH_HEADER_SIZE)) return null;
    const at = this.position - this.bufStart;
    const size = this.buf.readInt32BE(at + 8) + LOG_OVERHEAD;
    if (size < BATCH_HEADER_SIZE || size > remaining) return null;
    if (!this.ensure(this.position, size)) return null;
    const view = this.position - this.bufStart;
    const header = readBatchHeader(this.buf, view)!;
    const result = { buf: this.buf, at: view, position: this.position, header };
    this.position += size;
    return result;
  }

  /** Makes file bytes [position, position + n) available in buf; false if the file is shorter. */
  private ensure(position: number, n: number): boolean {
    if (position >= this.bufStart && position + n <= this.bufStart + this.bufLen) return true;
    const want = Math.min(Math.max(CHUNK, n), this.end - position);
    if (this.buf.length < want) this.buf = Buffer.allocUnsafe(want);
    this.bufStart = position;
    this.bufLen = readFully(this.fd, this.buf, 0, want, position);
    return this.bufLen >= n;
  }
}
