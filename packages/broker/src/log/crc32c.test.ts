import fc from 'fast-check';
import { crc32c } from './crc32c';

/** Bit-at-a-time reference, obviously right, to check the sliced table against. */
function slowCrc32c(buf: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the RFC 3720 check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
  it('matches the RFC 3720 vector of 32 zero bytes', () => {
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
  });
  it('agrees with a bitwise reference on any input and sub-range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length ? a % bytes.length : 0;
        const end = start + (bytes.length - start ? b % (bytes.length - start + 1) : 0);
        expect(crc32c(bytes, start, end)).toBe(slowCrc32c(bytes.subarray(start, end)));
      }),
    );
  });
});
