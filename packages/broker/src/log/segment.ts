/**
 * One segment: a `.log` file of contiguous batches plus its in-memory batch index. The file is
 * the truth; the index is rebuilt from it on open and after compaction rewrites it.
 */
import { join } from 'node:path';
import { crc32c } from './crc32c';
import { BatchIndex } from './batch-index';
import { BatchReader, type BatchView } from './batch-reader';
import { segmentFileName } from './log-files';
import type { BatchHeader } from './record-batch';

/** A segment file's in-memory view: its batch index, size, newest timestamp and descriptor. */
export class Segment {
  index = new BatchIndex();
  /** Bytes of whole batches in the file (the file is never longer once recovered). */
  size = 0;
  /** Newest maxTimestamp of any batch: the segment's entry in the sparse time index. */
  maxTimestamp = -1;
  /** When this process opened or created the segment: segment.ms counts from here. */
  readonly openedAt = Date.now();
  /** Open descriptor, or null: closed segments are opened lazily for reads. */
  fd: number | null = null;

  constructor(
    private readonly dir: string,
    readonly baseOffset: number,
  ) {}

  /** Path of the `.log` file. */
  get path(): string {
    return join(this.dir, segmentFileName(this.baseOffset));
  }

  /** The offset after the last batch, or the base offset while empty. */
  get nextOffset(): number {
    const n = this.index.count;
    return n === 0 ? this.baseOffset : this.index.lastOffset(n - 1) + 1;
  }

  /** Records a batch written at the current end of the file. */
  addBatch(h: BatchHeader): void {
    this.index.push(h.baseOffset, h.baseOffset + h.lastOffsetDelta, this.size, h.maxTimestamp);
    this.size += h.size;
    if (h.maxTimestamp > this.maxTimestamp) this.maxTimestamp = h.maxTimestamp;
  }

  /** File position just past batch i. */
  batchEnd(i: number): number {
    return i + 1 < this.index.count ? this.index.position(i + 1) : this.size;
  }

  /** Forgets every batch (before re-indexing a rewritten file). */
  resetIndex(): void {
    this.index = new BatchIndex();
    this.size = 0;
    this.maxTimestamp = -1;
  }
}

/**
 * Indexes the file behind `fd` (of `fileBytes` bytes) into `seg`, stopping at the first batch that
 * is partial or fails the checks; returns how many leading bytes are whole, valid batches.
 * Checks: magic 2, length in range, offsets ascending from `minOffset`, record count consistent
 * with lastOffsetDelta (compaction may leave fewer records than offsets), and, when `verifyCrc`,
 * CRC-32C over bytes 21..end.
 */
export function indexSegmentFile(seg: Segment, fd: number, fileBytes: number, minOffset: number, verifyCrc: boolean, onBatch: (v: BatchView) => void): number {
  const reader = new BatchReader(fd, 0, fileBytes);
  let expected = Math.max(minOffset, seg.baseOffset);
  for (let v = reader.next(); v; v = reader.next()) {
    if (!intact(v, expected, verifyCrc)) return v.position;
    seg.addBatch(v.header);
    onBatch(v);
    expected = v.header.baseOffset + v.header.lastOffsetDelta + 1;
  }
  return reader.position;
}

function intact({ buf, at, header: h }: BatchView, minOffset: number, verifyCrc: boolean): boolean {
  if (h.magic !== 2 || h.baseOffset < minOffset || h.lastOffsetDelta < 0) return false;
  if (h.recordCount < 0 || h.recordCount > h.lastOffsetDelta + 1) return false;
  if (!Number.isSafeInteger(h.baseOffset + h.lastOffsetDelta)) return false;
  return !verifyCrc || crc32c(buf, at + 21, at + h.size) === h.crc;
}
