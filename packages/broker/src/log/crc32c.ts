/**
 * CRC-32C (Castagnoli), slice-by-8. RecordBatch v2 checksums use it, and Node's zlib.crc32 is
 * the IEEE polynomial, so we carry our own. Slice-by-8 keeps validation of every produced batch
 * cheap enough for the broker not to be the bottleneck (see BENCHMARKS.md).
 */
const POLY = 0x82f63b78;
const TABLE = new Int32Array(256 * 8);

for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  TABLE[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = TABLE[n]!;
  for (let k = 1; k < 8; k++) {
    c = TABLE[c & 0xff]! ^ (c >>> 8);
    TABLE[k * 256 + n] = c;
  }
}

/** CRC-32C of buf[start, end) as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = -1;
  let i = start;
  const t = TABLE;
  for (; i + 8 <= end; i += 8) {
    crc ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    crc =
      t[1792 + (crc & 0xff)]! ^
      t[1536 + ((crc >>> 8) & 0xff)]! ^
      t[1280 + ((crc >>> 16) & 0xff)]! ^
      t[1024 + (crc >>> 24)]! ^
      t[768 + buf[i + 4]!]! ^
      t[512 + buf[i + 5]!]! ^
      t[256 + buf[i + 6]!]! ^
      t[buf[i + 7]!]!;
  }
  for (; i < end; i++) crc = t[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
