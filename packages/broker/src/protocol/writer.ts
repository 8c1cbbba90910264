/** Growable big-endian writer for Kafka responses. */
export class Writer {
  private buf: Buffer;
  length = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  // Callers must call room() before reading this.buf: it may replace the buffer.
  private room(n: number): number {
    if (this.length + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  int8(v: number): this {
    const at = this.room(1);
    this.buf.writeInt8(v, at);
    return this;
  }
  int16(v: number): this {
    const at = this.room(2);
    this.buf.writeInt16BE(v, at);
    return this;
  }
  int32(v: number): this {
    const at = this.room(4);
    this.buf.writeInt32BE(v, at);
    return this;
  }
  uint32(v: number): this {
    const at = this.room(4);
    this.buf.writeUInt32BE(v >>> 0, at);
    return this;
  }
  int64(v: number): this {
    const at = this.room(8);
    this.buf.writeBigInt64BE(BigInt(v), at);
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  string(s: string): this {
    const len = Buffer.byteLength(s);
    this.int16(len);
    const at = this.room(len);
    this.buf.write(s, at, 'utf8');
    return this;
  }
  nullableString(s: string | null): this {
    return s === null ? this.int16(-1) : this.string(s);
  }
  bytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    return this.raw(b);
  }
  raw(b: Buffer): this {
    const at = this.room(b.length);
    b.copy(this.buf, at);
    return this;
  }
  array<T>(items: readonly T[], write: (w: Writer, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }
  nullableArray<T>(items: readonly T[] | null, write: (w: Writer, item: T) => void): this {
    return items === null ? this.int32(-1) : this.array(items, write);
  }
  uvarint(v: number): this {
    while (v >= 0x80) {
      const at = this.room(1);
    this.buf.writeUInt8((v & 0x7f) | 0x80, at);
      v = Math.floor(v / 128);
    }
    const at = this.room(1);
    this.buf.writeUInt8(v, at);
    return this;
  }
  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  compactString(s: string): this {
    const len = Buffer.byteLength(s);
    this.uvarint(len + 1);
    const at = this.room(len);
    this.buf.write(s, at, 'utf8');
    return this;
  }
  compactArray<T>(items: readonly T[], write: (w: Writer, item: T) => void): this {
    this.uvarint(items.length + 1);
    for (const item of items) write(this, item);
    return this;
  }
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }

  /** Reserves an int32 to patch later (a size prefix); returns its position. */
  placeholder32(): number {
    return this.room(4);
  }
  patch32(at: number, v: number): void {
    this.buf.writeInt32BE(v, at);
  }

  /** The written bytes (a view, not a copy). */
  finish(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
