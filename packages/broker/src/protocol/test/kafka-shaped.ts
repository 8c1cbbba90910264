/**
 * fast-check arbitraries for hostile Kafka request bytes that look like requests: tokens shaped
 * like wire fields (small lengths, -1 nulls, plausible and huge counts, over-long varints), so a
 * decoder gets deep into nested arrays before it meets the lie. Shared by the decoder fuzz and
 * the TCP frame fuzz.
 */
import fc from 'fast-check';

/** Counts a hostile client claims: past MAX_ARRAY, at it, and merely larger than any frame. */
export const HUGE_COUNTS = [0x7fffffff, 0x7ffffffe, 1_000_001, 1_000_000, 65_536] as const;

/** A big-endian signed integer of `width` bytes. */
export function be(width: 1 | 2 | 4 | 8, v: number | bigint): Buffer {
  const b = Buffer.alloc(width);
  if (width === 1) b.writeInt8(Number(v));
  else if (width === 2) b.writeInt16BE(Number(v));
  else if (width === 4) b.writeInt32BE(Number(v));
  else b.writeBigInt64BE(BigInt(v));
  return b;
}

/** An unsigned varint (compact lengths, tag counts). */
export function uvarint(v: number): Buffer {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

/** One wire-shaped token: what Kafka request fields look like, lies included. */
export const wireToken: fc.Arbitrary<Buffer> = fc.oneof(
  fc.integer({ min: -128, max: 127 }).map((v) => be(1, v)),
  fc.oneof(fc.integer({ min: -1, max: 12 }), fc.integer({ min: -32768, max: 32767 })).map((v) => be(2, v)),
  fc.oneof(fc.integer({ min: -1, max: 6 }), fc.constantFrom(...HUGE_COUNTS, -2, -0x80000000), fc.integer({ min: -0x80000000, max: 0x7fffffff })).map((v) => be(4, v)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => be(8, v)),
  // int16-length string, sometimes claiming a few bytes more than it has
  fc.tuple(fc.string({ maxLength: 12 }), fc.integer({ min: -2, max: 3 })).map(([s, lie]) => Buffer.concat([be(2, Buffer.byteLength(s) + (lie > 1 ? lie : 0)), Buffer.from(s)])),
  fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.concat([be(4, b.length), Buffer.from(b)])),
  fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(2 ** 31, 2 ** 34, 1_000_002)).map(uvarint),
  fc.constant(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
  fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
);

/** A request body made of wire-shaped tokens. */
export const kafkaShapedBody = (maxTokens = 40): fc.Arbitrary<Buffer> => fc.array(wireToken, { maxLength: maxTokens }).map((parts) => Buffer.concat(parts));
