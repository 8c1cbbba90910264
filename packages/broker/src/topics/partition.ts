/**
 * One partition on this (single) node: its log plus the transactional and idempotent-producer
 * state derived from it. Single node means LEO = high watermark; the last stable offset is held
 * back by the first offset of the oldest open transaction.
 */
import type { PartitionLog } from '../log/partition-log';
import type { ScannedBatch } from '../log/types';
import { isTransactional, ControlType, controlTypeOf, readBatchHeader } from '../log/record-batch';
import { ProducerWindow } from '../txn/producer-window';

export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  lastOffset: number;
}

export class Partition {
  /** producerId → first offset of its open transaction on this partition. */
  readonly openTxns = new Map<number, number>();
  /** Aborted transactions, oldest first, for READ_COMMITTED fetches. */
  abortedTxns: AbortedTxn[] = [];
  /** producerId → recent batch sequence window (idempotence). */
  readonly producers = new Map<number, ProducerWindow>();
  /** Called after data or the LSO moved (long-polling fetches wait on it). */
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly topic: string,
    readonly index: number,
    readonly log: PartitionLog,
  ) {}

  get highWatermark(): number {
    return this.log.logEndOffset;
  }

  get lastStableOffset(): number {
    let lso = this.log.logEndOffset;
    for (const first of this.openTxns.values()) if (first < lso) lso = first;
    return lso;
  }

  /**
   * Appends one validated batch, updates producer/transaction state and wakes waiting fetches.
   * The buffer's baseOffset is rewritten in place.
   */
  append(batch: Buffer): { baseOffset: number; lastOffset: number } {
    const result = this.log.append(batch);
    const header = readBatchHeader(batch);
    if (header) this.observe({ header, controlType: controlTypeOf(batch, 0, header) });
    this.changed();
    return result;
  }

  /** Rebuilds producer windows and transaction state from the batches on disk. */
  rebuildFromLog(): void {
    for (const batch of this.log.scan(this.log.logStartOffset)) this.observe(batch);
  }

  /** Updates derived state for a batch that is now in the log (at append or on replay). */
  observe({ header: h, controlType }: ScannedBatch): void {
    const lastOffset = h.baseOffset + h.lastOffsetDelta;
    if (h.producerId >= 0) {
      let window = this.producers.get(h.producerId);
      if (!window) this.producers.set(h.producerId, (window = new ProducerWindow()));
      // Compaction may drop records from a batch but keeps lastOffsetDelta, and sequences
      // advance with offsets (as Kafka computes them), so count by the delta, not recordCount.
      window.record(h.producerEpoch, h.baseSequence, h.lastOffsetDelta + 1, h.baseOffset, controlType !== null);
    }
    if (controlType !== null) {
      const first = this.openTxns.get(h.producerId);
      this.openTxns.delete(h.producerId);
      if (controlType === ControlType.ABORT && first !== undefined) {
        this.abortedTxns.push({ producerId: h.producerId, firstOffset: first, lastOffset });
      }
    } else if (isTransactional(h) && !this.openTxns.has(h.producerId)) {
      this.openTxns.set(h.producerId, h.baseOffset);
    }
  }

  /** Aborted transactions overlapping [from, to) — what a READ_COMMITTED fetch must be told. */
  abortedIn(from: number, to: number): AbortedTxn[] {
    return this.abortedTxns.filter((t) => t.lastOffset >= from && t.firstOffset < to);
  }

  /** Forgets aborted-transaction entries wholly below the log start (after retention). */
  pruneAborted(): void {
    const start = this.log.logStartOffset;
    if (this.abortedTxns.length && this.abortedTxns[0]!.lastOffset < start) {
      this.abortedTxns = this.abortedTxns.filter((t) => t.lastOffset >= start);
    }
  }

  /** Registers a callback for new data/LSO movement; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Wakes everyone waiting on this partition. */
  changed(): void {
    for (const l of [...this.listeners]) l();
  }
}
