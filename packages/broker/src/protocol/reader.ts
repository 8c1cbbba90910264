/**
 * Bounds-checked reader for Kafka's big-endian wire primitives.
 * Every read past the end throws MalformedFrameError, so a hostile frame can only ever
 * fail its own request: the connection is closed and no state is touched.
 */
export class MalformedFrameError extends Error {
  readonly code = 'MALFORMED_FRAME';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedFrameError';
  }
}

const MAX_ARRAY = 1_000_000;

export class Reader {
  offset: number;
  constructor(
    readonly buf: Buffer,
    offset = 0,
    readonly end = buf.length,
  ) {
    this.offset = offset;
  }

  /** Bytes left in this frame. */
  remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): number {
    if (n < 0 || this.offset + n > this.end) {
      throw new MalformedFrameError(`need ${n} bytes at ${this.offset}, frame ends at ${this.end}`);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  /** int64 as a JS number: offsets, pids and timestamps all fit in 53 bits. */
  int64(): number {
    const at = this.need(8);
    return this.buf.readInt32BE(at) * 0x1_0000_0000 + this.buf.readUInt32BE(at + 4);
  }
  bool(): boolean {
    return this.int8() !== 0;
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new MalformedFrameError('null where a string is required');
    return s;
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }
  bytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  array<T>(item: (r: Reader) => T): T[] {
    const a = this.nullableArray(item);
    return a ?? [];
  }
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    return this.items(n, item);
  }
  private items<T>(n: number, item: (r: Reader) => T): T[] {
    // Each item takes at least one byte, so a count beyond the bytes left is a lie.
    if (n > MAX_ARRAY || n > this.remaining()) throw new MalformedFrameError(`array of ${n} items in ${this.remaining()} bytes`);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.buf.readUInt8(this.need(1));
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new MalformedFrameError('varint longer than 5 bytes');
  }
  /** Zig-zag varint (record fields). */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  /** Zig-zag varlong, as a number (timestamp deltas fit). */
  varlong(): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const b = this.buf.readUInt8(this.need(1));
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    }
    throw new MalformedFrameError('varlong longer than 10 bytes');
  }
  raw(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new MalformedFrameError('null where a compact string is required');
    return s;
  }
  compactNullableString(): string | null {
    const n = this.uvarint();
    if (n === 0) return null;
    const at = this.need(n - 1);
    return this.buf.toString('utf8', at, at + n - 1);
  }
  compactArray<T>(item: (r: Reader) => T): T[] {
    const n = this.uvarint();
    return n === 0 ? [] : this.items(n - 1, item);
  }
  /** Skips a tagged-field buffer: we know no tags, and unknown tags must be ignored. */
  taggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.need(this.uvarint());
    }
  }
}
