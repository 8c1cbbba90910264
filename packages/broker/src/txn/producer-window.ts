/**
 * Idempotent-producer state for one (producerId, partition): the last five batches' sequence
 * ranges, as Kafka's ProducerStateManager keeps them. A retried batch that is already in the
 * window is a duplicate and gets its original base offset; a gap is OUT_OF_ORDER_SEQUENCE_NUMBER;
 * an older epoch is fenced with INVALID_PRODUCER_EPOCH (kafkajs 2.2.4 does not know PRODUCER_FENCED).
 */
import { ErrorCode } from '../protocol/error-codes';

const WINDOW = 5;
const MAX_SEQ = 0x7fffffff;

interface SeqRange {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'error'; code: ErrorCode; message: string };

/** Next sequence after `seq`, wrapping at int32 max as the clients do. */
const nextSeq = (seq: number, count: number) => (seq + count - 1 >= MAX_SEQ ? seq + count - 1 - MAX_SEQ : seq + count);

export class ProducerWindow {
  epoch = -1;
  private ranges: SeqRange[] = [];

  /** Decides what to do with an incoming batch from this producer. */
  check(epoch: number, baseSequence: number, count: number): SequenceCheck {
    if (epoch < this.epoch) {
      return { kind: 'error', code: ErrorCode.INVALID_PRODUCER_EPOCH, message: `epoch ${epoch} is older than ${this.epoch}` };
    }
    const lastSeq = baseSequence + count - 1;
    if (epoch === this.epoch) {
      const dup = this.ranges.find((r) => r.firstSeq === baseSequence && r.lastSeq === lastSeq);
      if (dup) return { kind: 'duplicate', baseOffset: dup.baseOffset };
      const last = this.ranges[this.ranges.length - 1];
      const expected = last ? nextSeq(last.lastSeq, 1) : 0;
      if (last && baseSequence !== expected) {
        return { kind: 'error', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: `sequence ${baseSequence}, expected ${expected}` };
      }
      return { kind: 'append' };
    }
    // A new epoch must start its sequences at 0.
    if (baseSequence !== 0) {
      return { kind: 'error', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: `new epoch ${epoch} must start at sequence 0, got ${baseSequence}` };
    }
    return { kind: 'append' };
  }

  /** Records a batch that is now in the log (control batches only move the epoch). */
  record(epoch: number, baseSequence: number, count: number, baseOffset: number, isControl: boolean): void {
    if (epoch > this.epoch) {
      this.epoch = epoch;
      this.ranges = [];
    }
    if (isControl || baseSequence < 0) return;
    this.ranges.push({ firstSeq: baseSequence, lastSeq: baseSequence + count - 1, baseOffset });
    if (this.ranges.length > WINDOW) this.ranges.shift();
  }
}
