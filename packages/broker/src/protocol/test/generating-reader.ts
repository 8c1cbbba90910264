/**
 * Well-formed requests with hostile values, for any API, without writing an encoder per API:
 * a Reader that, instead of reading bytes, makes up each field the decoder asks for (from a
 * fast-check choice list, biased towards edge values and names that exist) and writes it down.
 * Running an API's own `decode` over it yields a body that decodes exactly — so the bytes get
 * past the decoder and exercise the handler.
 */
import { Reader } from '../reader';
import { Writer } from '../writer';

/** Values a generated field draws from (edge cases first, then names the broker knows). */
export interface FieldPools {
  int8: readonly number[];
  int16: readonly number[];
  int32: readonly number[];
  int64: readonly number[];
  strings: readonly string[];
  bytes: readonly (Buffer | null)[];
  /** Array lengths (-1 is used only where the field is nullable). */
  counts: readonly number[];
}

export const DEFAULT_POOLS: FieldPools = {
  int8: [0, 1, -1, 2, 127, -128],
  int16: [0, 1, -1, 2, 5, 32767, -32768],
  int32: [0, 1, -1, 2, 3, 100, 6000, 30_000, 0x7fffffff, -0x80000000, 10_001],
  int64: [0, 1, -1, -2, 2, 100, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 62, -(2 ** 63), 1_700_000_000_000],
  strings: ['', 'x', 'm-1', 'consumer', 'range', '..', 'ü', 'a'.repeat(300)],
  bytes: [null, Buffer.alloc(0), Buffer.from([0, 1, 2, 3])],
  counts: [0, 1, 2, 3],
};

/** Makes up fields on demand; `bytes()` of the result is the body the decoder walked. */
export class GeneratingReader extends Reader {
  private readonly out = new Writer();
  private next = 0;

  constructor(
    private readonly choices: readonly number[],
    private readonly pools: FieldPools = DEFAULT_POOLS,
  ) {
    super(Buffer.alloc(0));
  }

  /** The encoded body: exactly the fields the decoder read. */
  written(): Buffer {
    return Buffer.from(this.out.finish());
  }

  private pick<T>(pool: readonly T[]): T {
    const c = this.choices.length ? this.choices[this.next++ % this.choices.length]! : 0;
    return pool[c % pool.length]!;
  }

  override remaining(): number {
    return Number.MAX_SAFE_INTEGER;
  }
  override int8(): number {
    const v = this.pick(this.pools.int8);
    this.out.int8(v);
    return v;
  }
  override int16(): number {
    const v = this.pick(this.pools.int16);
    this.out.int16(v);
    return v;
  }
  override int32(): number {
    const v = this.pick(this.pools.int32);
    this.out.int32(v);
    return v;
  }
  override uint32(): number {
    const v = this.pick(this.pools.int32) >>> 0;
    this.out.uint32(v);
    return v;
  }
  override int64(): number {
    const v = this.pick(this.pools.int64);
    this.out.int64(v);
    // What a real Reader gives back for those 8 bytes (2^62 and -2^63 lose nothing; safe ints are exact).
    return v;
  }
  override bool(): boolean {
    return this.int8() !== 0;
  }
  override string(): string {
    const s = this.pick(this.pools.strings);
    this.out.string(s);
    return s;
  }
  override nullableString(): string | null {
    if (this.pick([false, true, true, true])) return this.string();
    this.out.int16(-1);
    return null;
  }
  override bytes(): Buffer | null {
    const b = this.pick(this.pools.bytes);
    this.out.bytes(b);
    return b;
  }
  override array<T>(item: (r: Reader) => T): T[] {
    const n = this.pick(this.pools.counts);
    this.out.int32(n);
    return Array.from({ length: n }, () => item(this));
  }
  override nullableArray<T>(item: (r: Reader) => T): T[] | null {
    if (this.pick([false, true, true, true])) return this.array(item);
    this.out.int32(-1);
    return null;
  }
  override compactString(): string {
    const s = this.pick(this.pools.strings);
    this.out.compactString(s);
    return s;
  }
  override compactNullableString(): string | null {
    return this.compactString();
  }
  override compactArray<T>(item: (r: Reader) => T): T[] {
    const n = this.pick(this.pools.counts);
    this.out.uvarint(n + 1);
    return Array.from({ length: n }, () => item(this));
  }
  override taggedFields(): void {
    this.out.emptyTaggedFields();
  }
  // Request decoders read none of these; fail loudly if one starts to, rather than generate nonsense.
  override raw(): Buffer {
    throw new Error('GeneratingReader cannot make up raw bytes: add an override');
  }
  override uvarint(): number {
    throw new Error('GeneratingReader cannot make up a varint: add an override');
  }
}
