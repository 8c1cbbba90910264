/**
 * Log compaction (cleanup.policy=compact), after Kafka's LogCleaner, simplified and conservative.
 * Scope: closed segments only (never the active one, as in Kafka) and batches entirely below
 * `maxOffset` (the last stable offset); later batches are newer than all of these and untouched.
 *
 *  1. Map each key to the offset of its newest record. Only plain batches count: transactional
 *     ones may be aborted, so they supersede nothing (and control batches hold no user keys).
 *  2. Rewrite each closed segment, oldest first: superseded records go; tombstones (null value)
 *     older than delete.retention.ms go; records with a null key stay. A batch that loses records
 *     is rebuilt uncompressed from the survivors' raw bytes (same baseOffset and lastOffsetDelta);
 *     one that loses all is dropped.
 *
 * Kept whole, whatever they contain: transactional and control batches; batches the broker cannot
 * open (snappy/lz4/zstd, or unparsable); and each producer's newest batch, so that the idempotent
 * producer state rebuilt from its header at startup is what the live producer expects (Kafka keeps
 * an empty batch instead, but kafkajs 2.2.4 cannot step over a fetch of only empty batches).
 * Keeping an old value is always safe, but dropping the tombstone that hides it is not: a tombstone
 * stays while any kept-whole batch older than it might hold its key.
 *
 * Oldest-first, each rename fsynced before the next segment, so a crash never keeps a newer
 * segment's rewrite (a dropped tombstone) while losing an older one's (the value it deleted).
 * Memory: the maps hold every distinct key of the range (Kafka bounds its map and cleans in
 * several passes; a dev broker's compacted topics are small enough not to need that).
 */
import { fsyncDir } from '../storage/atomic-file';
import { BatchReader, type BatchView } from './batch-reader';
import { canDecode, decodeRecords, rebuildBatch, recordTimestamp, type RecordView } from './record-codec';
import { isControl, isTransactional, readBatchHeader } from './record-batch';
import { Segment } from './segment';
import { SegmentWriter } from './segment-writer';
import type { CompactionReport } from './types';

/** What the compactor needs from the log it cleans. */
export interface CompactionContext {
  dir: string;
  /** Closed segments, oldest first. */
  closed: readonly Segment[];
  /** A descriptor to read `seg` with. */
  fdOf(seg: Segment): number;
  /** Whether this batch is the newest one of its producer in the whole log. */
  isProducersLastBatch(producerId: number, baseOffset: number): boolean;
  /** Installs a rewritten segment (already renamed over the old file), or deletes `old` durably when `replacement` is null (it was emptied). */
  replace(old: Segment, replacement: Segment | null): void;
  maxOffset: number;
  now: number;
  deleteRetentionMs: number;
}

type Decision = { kind: 'keep' } | { kind: 'drop'; removed: number } | { kind: 'rewrite'; batch: Buffer; removed: number };

const KEEP: Decision = { kind: 'keep' };

const emptyReport = (): CompactionReport => ({ batchesBefore: 0, batchesAfter: 0, recordsRemoved: 0, bytesBefore: 0, bytesAfter: 0 });

/**
 * Compacts one log and remembers how far it got, so that the periodic call is nearly free until
 * new data reaches a closed segment or a kept tombstone's retention runs out.
 */
export class Compactor {
  /** Exclusive end of the cleanable range the last run covered. */
  private cleanedThrough = -1;
  /** When the earliest kept tombstone becomes deletable (now > this). */
  private tombstoneExpiry = Infinity;

  /** Forgets progress, e.g. after delete.retention.ms changed. */
  reset(): void {
    this.cleanedThrough = -1;
    this.tombstoneExpiry = Infinity;
  }

  /** Runs one compaction if anything could have changed; a skipped run reports zeros. */
  run(ctx: CompactionContext): CompactionReport {
    const end = cleanableEnd(ctx.closed, ctx.maxOffset);
    if (end <= this.cleanedThrough && ctx.now <= this.tombstoneExpiry) return emptyReport();
    const state = survey(ctx);
    for (const seg of [...ctx.closed]) cleanSegment(seg, ctx, state);
    this.cleanedThrough = end;
    this.tombstoneExpiry = state.tombstoneExpiry;
    return state.report;
  }
}

/** One past the last offset of the newest closed batch below maxOffset (-1 when none). */
function cleanableEnd(closed: readonly Segment[], maxOffset: number): number {
  for (let s = closed.length - 1; s >= 0; s--) {
    const ix = closed[s]!.index;
    const k = ix.firstEndingAtOrAfter(maxOffset);
    if (k > 0) return ix.lastOffset(k - 1) + 1;
  }
  return -1;
}

/** Whether compaction may look inside this batch at all. */
function inRange(h: BatchView['header'], maxOffset: number): boolean {
  return h.baseOffset + h.lastOffsetDelta < maxOffset && !isControl(h);
}

/** Batches whose records all stay, superseded or not. */
function keptWhole(h: BatchView['header'], ctx: CompactionContext): boolean {
  return isTransactional(h) || !canDecode(h) || (h.producerId >= 0 && ctx.isProducersLastBatch(h.producerId, h.baseOffset));
}

interface RunState {
  /** key (latin1 string: byte-exact) → offset of its newest record in a plain batch. */
  latest: Map<string, number>;
  /** key → offset of its oldest record in a kept-whole batch. */
  pinned: Map<string, number>;
  /** Base offset of the oldest batch whose keys are unknown (it cannot be opened). */
  firstOpaque: number;
  tombstoneExpiry: number;
  report: CompactionReport;
}

/** Pass 1: what supersedes what, and which old records are here to stay. */
function survey(ctx: CompactionContext): RunState {
  const state: RunState = { latest: new Map(), pinned: new Map(), firstOpaque: Infinity, tombstoneExpiry: Infinity, report: emptyReport() };
  for (const seg of ctx.closed) {
    const reader = new BatchReader(ctx.fdOf(seg), 0, seg.size);
    for (let v = reader.next(); v; v = reader.next()) {
      const h = v.header;
      if (!inRange(h, ctx.maxOffset)) continue;
      const decoded = canDecode(h) ? tryDecode(v) : null;
      if (!decoded) {
        state.firstOpaque = Math.min(state.firstOpaque, h.baseOffset);
        continue;
      }
      const whole = keptWhole(h, ctx);
      for (const r of decoded.list) {
        if (!r.key) continue;
        const key = r.key.toString('latin1');
        const offset = h.baseOffset + r.offsetDelta;
        if (!isTransactional(h)) state.latest.set(key, offset);
        if (whole && !state.pinned.has(key)) state.pinned.set(key, offset);
      }
    }
  }
  return state;
}

/** Pass 2 for one segment: rewrites it only from its first changed batch on, if there is one. */
function cleanSegment(seg: Segment, ctx: CompactionContext, state: RunState): void {
  const fd = ctx.fdOf(seg);
  const out = new Segment(ctx.dir, seg.baseOffset);
  let writer: SegmentWriter | null = null;
  try {
    const reader = new BatchReader(fd, 0, seg.size);
    for (let v = reader.next(); v; v = reader.next()) {
      state.report.batchesBefore++;
      const decision = decide(v, ctx, state);
      if (decision.kind !== 'keep') {
        state.report.recordsRemoved += decision.removed;
        if (!writer) {
          writer = new SegmentWriter(seg.path);
          writer.copyRange(fd, 0, v.position);
        }
      }
      if (decision.kind === 'drop') continue;
      state.report.batchesAfter++;
      if (decision.kind === 'rewrite') {
        writer!.write(decision.batch);
        out.addBatch(readBatchHeader(decision.batch)!);
      } else {
        writer?.write(v.buf, v.at, v.at + v.header.size);
        out.addBatch(v.header);
      }
    }
    state.report.bytesBefore += seg.size;
    state.report.bytesAfter += out.size;
    if (!writer) return;
    if (out.size === 0) {
      writer.abort();
      writer = null;
      ctx.replace(seg, null);
      return;
    }
    writer.commit();
    writer = null;
    ctx.replace(seg, out);
    // Durable before the next segment is touched: see the ordering note at the top.
    fsyncDir(ctx.dir);
  } finally {
    writer?.abort();
  }
}

function decide(v: BatchView, ctx: CompactionContext, state: RunState): Decision {
  const h = v.header;
  if (!inRange(h, ctx.maxOffset) || keptWhole(h, ctx)) return KEEP;
  const decoded = tryDecode(v);
  if (!decoded) return KEEP;
  const keep: RecordView[] = [];
  for (const r of decoded.list) {
    if (r.key) {
      const key = r.key.toString('latin1');
      const offset = h.baseOffset + r.offsetDelta;
      if (state.latest.get(key) !== offset) continue;
      if (r.valueIsNull && tombstoneGoes(state, key, offset, recordTimestamp(h, r) + ctx.deleteRetentionMs, ctx.now)) continue;
    }
    keep.push(r);
  }
  const removed = decoded.list.length - keep.length;
  if (removed === 0) return KEEP;
  if (keep.length > 0) return { kind: 'rewrite', batch: rebuildBatch(v.buf, v.at, h, decoded, keep), removed };
  return { kind: 'drop', removed };
}

/** Whether the newest record of `key`, a tombstone, may go now; notes when a young one will expire. */
function tombstoneGoes(state: RunState, key: string, offset: number, expiry: number, now: number): boolean {
  if (now <= expiry) {
    state.tombstoneExpiry = Math.min(state.tombstoneExpiry, expiry);
    return false;
  }
  // An older value that stays (kept-whole batch, or one we cannot see into) would come back.
  const pinnedAt = state.pinned.get(key);
  return (pinnedAt === undefined || pinnedAt > offset) && state.firstOpaque > offset;
}

function tryDecode(v: BatchView): ReturnType<typeof decodeRecords> | null {
  try {
    return decodeRecords(v.buf, v.at, v.header);
  } catch {
    // A body we cannot parse is kept as is: compaction must never lose data it does not understand.
    return null;
  }
}
