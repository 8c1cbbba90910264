/**
 * The on-disk log of one partition, laid out as Kafka lays it out:
 *
 *   <dataDir>/<topic>-<N>/
 *     00000000000000000000.log      segments: raw RecordBatch v2 bytes, back to back, exactly as
 *     00000000000000004096.log      produced except baseOffset and partitionLeaderEpoch; named by
 *                                   the base offset (20 digits), only the newest one is appended to
 *     log-start-offset.checkpoint   {"version":1,"logStartOffset":N}, written atomically; missing
 *                                   means "the first segment's base offset"
 *     .clean_shutdown               present only between close() and the next open()
 *     <base>.log.cleaned            transient: a compaction rewrite not yet renamed over its segment
 *
 * There is no on-disk offset or time index: open rebuilds a per-batch index in memory (see
 * batch-index.ts, recovery.ts) by reading each segment sequentially, and the file is always the
 * truth; segment and batch maxTimestamps in it serve as the sparse time index. Retention and
 * compaction policies live in retention.ts and compaction.ts.
 * Invariants: batches are contiguous in a segment with ascending offsets (gaps only where
 * compaction dropped whole batches); segment base offsets ascend; logStartOffset <= logEndOffset.
 *
 * Everything is synchronous: writes go to the page cache with writeSync and the Flusher makes
 * them durable before the broker acknowledges them.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import { fsyncDir } from '../storage/atomic-file';
import type { Flusher } from '../storage/flusher';
import { BatchReader } from './batch-reader';
import { Compactor } from './compaction';
import { readFully, writeFully } from './file-io';
import { writeCleanMarker, writeLogStartCheckpoint } from './log-files';
import { Attr, controlTypeOf, readBatchHeader, stampBatch } from './record-batch';
import { canDecode, decodeRecords, recordTimestamp, type RecordView } from './record-codec';
import { recoverDir } from './recovery';
import { segmentsToDelete } from './retention';
import { Segment } from './segment';
import type { CompactionReport, LogConfig, RecoveryReport, ScannedBatch } from './types';

const EMPTY = Buffer.alloc(0);
/** Closed segments kept open for reads at once: consumers read forward, so a few suffice. */
const MAX_READ_FDS = 4;

/** One partition's log: segments on disk, a batch index in memory. */
export class PartitionLog {
  private readonly segments: Segment[];
  private startOffset: number;
  private endOffset: number;
  private totalBytes: number;
  /** producerId → base offset of its newest batch (compaction keeps that batch). */
  private readonly producerLast: Map<number, number>;
  /** Closed segments with an open read descriptor, most recently used first. */
  private readers: Segment[] = [];
  private readonly compactor = new Compactor();
  private closed = false;
  /** What open() found and repaired. */
  readonly recovery: RecoveryReport;

  private constructor(
    private readonly dir: string,
    private config: LogConfig,
    private readonly flusher: Flusher,
    clean: boolean,
  ) {
    const found = recoverDir(dir, clean);
    this.segments = found.segments;
    this.producerLast = found.producerLast;
    if (this.segments.length === 0) this.createSegment(found.checkpoint ?? 0);
    this.endOffset = this.active.nextOffset;
    this.startOffset = found.checkpoint ?? this.segments[0]!.baseOffset;
    if (this.startOffset > this.endOffset) {
      // Lost acknowledged data up to a DeleteRecords point: restart the log at the log start, as
      // Kafka's truncateFullyAndStartAt does (the old segments go just below).
      this.closeFd(this.active);
      this.createSegment(this.startOffset);
      this.endOffset = this.startOffset;
    }
    this.totalBytes = this.segments.reduce((sum, seg) => sum + seg.size, 0);
    this.deleteOldest(this.segments.findLastIndex((seg) => seg.baseOffset <= this.startOffset));
    const batches = this.segments.reduce((sum, seg) => sum + seg.index.count, 0);
    this.recovery = { segments: this.segments.length, batches, truncatedBytes: found.truncatedBytes };
  }

  /**
   * Opens or creates the partition directory `dir`, recovering it. Unless `clean` (the broker shut
   * down cleanly) and this partition left its clean marker, every batch of every segment is
   * re-validated; otherwise only the last segment's CRCs are checked. The log is cut at the first
   * bad or partial batch, and later segments are deleted.
   */
  static open(dir: string, config: LogConfig, flusher: Flusher, opts: { clean?: boolean } = {}): PartitionLog {
    return new PartitionLog(dir, config, flusher, opts.clean ?? true);
  }

  /** First readable offset. */
  get logStartOffset(): number {
    return this.startOffset;
  }

  /** Next offset to assign (= high watermark on a single node). */
  get logEndOffset(): number {
    return this.endOffset;
  }

  /** Bytes of all segments. */
  get sizeBytes(): number {
    return this.totalBytes;
  }

  /** Applies changed topic configs (segment size applies from the next append). */
  setConfig(config: LogConfig): void {
    if (config.deleteRetentionMs !== this.config.deleteRetentionMs) this.compactor.reset();
    this.config = config;
  }

  /**
   * Appends one validated RecordBatch v2, stamping baseOffset = logEndOffset and leader epoch 0
   * into `batch` in place. Rolls first if the batch would take a non-empty segment past
   * segment.bytes, or the segment is older than segment.ms. Durable once `flusher.flushed()` resolves.
   */
  append(batch: Buffer): { baseOffset: number; lastOffset: number } {
    if (this.closed) throw new Error(`log ${this.dir} is closed`);
    const h = readBatchHeader(batch);
    if (!h || h.size !== batch.length) throw new Error('append takes exactly one whole batch');
    let active = this.active;
    const full = active.size + batch.length > this.config.segmentBytes;
    const old = Date.now() - active.openedAt > this.config.segmentMs;
    if (active.size > 0 && (full || old)) active = this.roll();
    const fd = active.fd!;
    stampBatch(batch, 0, this.endOffset, 0);
    h.baseOffset = this.endOffset;
    try {
      writeFully(fd, batch, 0, batch.length, active.size);
    } catch (err) {
      // Leave no torn bytes behind the index (ENOSPC): recovery would cut them, but reads would not.
      ftruncateSync(fd, active.size);
      throw err;
    }
    this.flusher.markDirty(fd);
    active.addBatch(h);
    this.totalBytes += h.size;
    this.endOffset = h.baseOffset + h.lastOffsetDelta + 1;
    if (h.producerId >= 0) this.producerLast.set(h.producerId, h.baseOffset);
    return { baseOffset: h.baseOffset, lastOffset: this.endOffset - 1 };
  }

  /**
   * Raw bytes of whole batches from the one containing `offset` (or the next one after it), only
   * batches whose lastOffset < maxOffset, within maxBytes but at least one batch. Never crosses a
   * segment (as Kafka): the next fetch continues in the next segment. One readSync per call.
   */
  read(offset: number, maxOffset: number, maxBytes: number): Buffer {
    const found = this.locate(offset);
    if (!found) return EMPTY;
    const { seg, i } = found;
    const ix = seg.index;
    if (ix.lastOffset(i) >= maxOffset) return EMPTY;
    const start = ix.position(i);
    let end = seg.batchEnd(i);
    for (let j = i + 1; j < ix.count && ix.lastOffset(j) < maxOffset; j++) {
      const next = seg.batchEnd(j);
      if (next - start > maxBytes) break;
      end = next;
    }
    const out = Buffer.allocUnsafe(end - start);
    const got = readFully(this.fdOf(seg), out, 0, out.length, start);
    return got === out.length ? out : out.subarray(0, got);
  }

  /**
   * ListOffsets by timestamp: the first offset >= logStartOffset whose record timestamp >= ts, or
   * null. Segment and batch maxTimestamps narrow it down; uncompressed and gzip batches are then
   * searched record by record, other codecs answer with their first offset.
   */
  offsetForTimestamp(ts: number): number | null {
    for (const seg of this.segments) {
      if (seg.maxTimestamp < ts) continue;
      const ix = seg.index;
      for (let i = ix.firstEndingAtOrAfter(this.startOffset); i < ix.count; i++) {
        if (ix.maxTimestamp(i) < ts) continue;
        const found = this.firstRecordAtOrAfter(seg, i, ts);
        if (found !== null) return found;
      }
    }
    return null;
  }

  /** Batch headers (and control marker types) of batches ending at or after `fromOffset`, in order. */
  *scan(fromOffset = 0): Iterable<ScannedBatch> {
    for (const seg of [...this.segments]) {
      const ix = seg.index;
      const i = ix.firstEndingAtOrAfter(fromOffset);
      if (i === ix.count) continue;
      // Its own descriptor: the caller may read or append between two steps of this generator.
      const fd = openSync(seg.path, 'r');
      try {
        const reader = new BatchReader(fd, ix.position(i), seg.size);
        for (let v = reader.next(); v; v = reader.next()) {
          yield { header: v.header, controlType: controlTypeOf(v.buf, v.at, v.header) };
        }
      } finally {
        closeSync(fd);
      }
    }
  }

  /** DeleteRecords: moves the log start up to `offset` (<= logEndOffset), durably, and deletes segments below it. */
  deleteRecordsBefore(offset: number): void {
    const target = Math.min(offset, this.endOffset);
    if (target <= this.startOffset) return;
    this.startOffset = target;
    writeLogStartCheckpoint(this.dir, target);
    let n = 0;
    while (n < this.segments.length - 1 && this.segments[n + 1]!.baseOffset <= target) n++;
    this.deleteOldest(n);
  }

  /** Time and size retention over closed segments; advances the log start. Returns segments deleted. */
  enforceRetention(now: number): number {
    const closed = this.segments.slice(0, -1);
    const n = segmentsToDelete(closed, this.totalBytes, this.config, now);
    if (n === 0) return 0;
    const newStart = Math.max(this.startOffset, this.segments[n]!.baseOffset);
    if (newStart > this.startOffset) {
      this.startOffset = newStart;
      writeLogStartCheckpoint(this.dir, newStart);
    }
    this.deleteOldest(n);
    return n;
  }

  /**
   * Compacts closed segments, only batches entirely below `maxOffset` (the last stable offset)
   * and older than min.compaction.lag.ms: the newest record per key survives, old tombstones go.
   * See compaction.ts.
   */
  compact(now: number, maxOffset: number): CompactionReport {
    return this.compactor.run({
      dir: this.dir,
      closed: this.segments.slice(0, -1),
      fdOf: (seg) => this.fdOf(seg),
      isProducersLastBatch: (pid, base) => this.producerLast.get(pid) === base,
      replace: (old, replacement) => this.replaceSegment(old, replacement),
      maxOffset: Math.min(maxOffset, this.firstTooYoungToCompact(now)),
      now,
      deleteRetentionMs: this.config.deleteRetentionMs,
    });
  }

  /**
   * Base offset of the first batch with a record newer than now - min.compaction.lag.ms (Kafka
   * bounds the cleanable range the same way, per segment): compaction stops before it.
   */
  private firstTooYoungToCompact(now: number): number {
    const lag = this.config.minCompactionLagMs;
    if (lag <= 0) return Infinity;
    for (const seg of this.segments) {
      const ix = seg.index;
      for (let i = 0; i < ix.count; i++) if (ix.maxTimestamp(i) > now - lag) return ix.baseOffset(i);
    }
    return Infinity;
  }

  /** fsyncs the active segment, closes every descriptor and marks the partition clean. */
  close(): void {
    if (this.closed) return;
    // Closed segments were fsynced when they were rolled or rewritten.
    const fd = this.active.fd!;
    fsyncSync(fd);
    this.closeFds();
    this.closed = true;
    writeCleanMarker(this.dir);
  }

  /** Deletes every file of this partition (DeleteTopics). */
  destroy(): void {
    this.closeFds();
    this.closed = true;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** First batch whose last offset is >= offset, in the first segment that has one. */
  private locate(offset: number): { seg: Segment; i: number } | null {
    if (offset >= this.endOffset) return null;
    let lo = 0;
    let hi = this.segments.length - 1;
    // The last segment whose base offset is <= offset (or the first one).
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    for (let s = lo; s < this.segments.length; s++) {
      const seg = this.segments[s]!;
      const i = seg.index.firstEndingAtOrAfter(offset);
      if (i < seg.index.count) return { seg, i };
    }
    return null;
  }

  private firstRecordAtOrAfter(seg: Segment, i: number, ts: number): number | null {
    const position = seg.index.position(i);
    const buf = Buffer.allocUnsafe(seg.batchEnd(i) - position);
    readFully(this.fdOf(seg), buf, 0, buf.length, position);
    const h = readBatchHeader(buf)!;
    const first = Math.max(h.baseOffset, this.startOffset);
    if (h.attributes & Attr.LOG_APPEND_TIME || !canDecode(h)) return first;
    let records: RecordView[];
    try {
      records = decodeRecords(buf, 0, h).list;
    } catch {
      // Unreadable body: batch granularity is still a correct (if coarser) answer.
      return first;
    }
    for (const r of records) {
      const offset = h.baseOffset + r.offsetDelta;
      if (offset >= this.startOffset && recordTimestamp(h, r) >= ts) return offset;
    }
    return null;
  }

  /** The descriptor to read `seg`: the active one's, or a lazily opened, LRU-bounded read-only one. */
  private fdOf(seg: Segment): number {
    if (seg === this.active && seg.fd !== null) return seg.fd;
    if (seg.fd !== null) {
      if (this.readers[0] !== seg) this.readers = [seg, ...this.readers.filter((s) => s !== seg)];
      return seg.fd;
    }
    seg.fd = openSync(seg.path, 'r');
    this.readers.unshift(seg);
    while (this.readers.length > MAX_READ_FDS) this.closeFd(this.readers.pop()!);
    return seg.fd;
  }

  private closeFd(seg: Segment): void {
    if (seg.fd === null) return;
    this.flusher.forget(seg.fd);
    closeSync(seg.fd);
    seg.fd = null;
    this.readers = this.readers.filter((s) => s !== seg);
  }

  private closeFds(): void {
    for (const seg of this.segments) this.closeFd(seg);
  }

  /** Closes the active segment durably and starts a new one at logEndOffset. */
  private roll(): Segment {
    const old = this.active;
    fsyncSync(old.fd!);
    this.closeFd(old);
    return this.createSegment(this.endOffset);
  }

  /** Creates an empty active segment (its directory entry made durable) and opens it for writing. */
  private createSegment(baseOffset: number): Segment {
    const seg = new Segment(this.dir, baseOffset);
    seg.fd = openSync(seg.path, 'wx+');
    fsyncDir(this.dir);
    this.segments.push(seg);
    return seg;
  }

  /** Deletes the n oldest segments (never the active one); the log start was moved past them first. */
  private deleteOldest(n: number): void {
    const count = Math.min(n, this.segments.length - 1);
    if (count <= 0) return;
    for (const seg of this.segments.splice(0, count)) {
      this.closeFd(seg);
      rmSync(seg.path, { force: true });
      this.totalBytes -= seg.size;
    }
    fsyncDir(this.dir);
  }

  /** Swaps in a compacted segment (already renamed over the old file), or deletes an emptied one. */
  private replaceSegment(old: Segment, replacement: Segment | null): void {
    const at = this.segments.indexOf(old);
    this.closeFd(old);
    this.totalBytes -= old.size;
    if (replacement) {
      this.segments[at] = replacement;
      this.totalBytes += replacement.size;
      return;
    }
    // Without a checkpoint the next open would take the next segment's base as the log start.
    if (at === 0) writeLogStartCheckpoint(this.dir, this.startOffset);
    this.segments.splice(at, 1);
    rmSync(old.path, { force: true });
    fsyncDir(this.dir);
  }
}
