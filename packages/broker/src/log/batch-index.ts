/**
 * In-memory index of one segment: one entry per batch (base offset, last offset, file position,
 * max timestamp) in growable Float64Arrays — 32 bytes a batch and no per-batch objects, so a
 * 64 MiB segment of 1 KB batches costs about 2 MiB. Batches are contiguous in the file, so a
 * batch's size is the next position (or the segment size) minus its own.
 * Float64 holds every int64 offset and timestamp a client can produce below 2^53 exactly.
 */
export class BatchIndex {
  private base = new Float64Array(16);
  private last = new Float64Array(16);
  private pos = new Float64Array(16);
  private ts = new Float64Array(16);
  private n = 0;

  /** Number of batches. */
  get count(): number {
    return this.n;
  }

  /** Adds the next batch (callers add in file order). */
  push(baseOffset: number, lastOffset: number, position: number, maxTimestamp: number): void {
    if (this.n === this.base.length) this.grow();
    this.base[this.n] = baseOffset;
    this.last[this.n] = lastOffset;
    this.pos[this.n] = position;
    this.ts[this.n] = maxTimestamp;
    this.n++;
  }

  /** Base offset of batch i. */
  baseOffset(i: number): number {
    return this.base[i]!;
  }

  /** Last offset (base + lastOffsetDelta) of batch i. */
  lastOffset(i: number): number {
    return this.last[i]!;
  }

  /** File position of batch i. */
  position(i: number): number {
    return this.pos[i]!;
  }

  /** maxTimestamp of batch i. */
  maxTimestamp(i: number): number {
    return this.ts[i]!;
  }

  /** Index of the first batch whose last offset is >= offset, or `count` when there is none. */
  firstEndingAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.last[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const size = this.base.length * 2;
    const grown = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.base = grown(this.base);
    this.last = grown(this.last);
    this.pos = grown(this.pos);
    this.ts = grown(this.ts);
  }
}
