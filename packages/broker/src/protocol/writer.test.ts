import fc from 'fast-check';
import { Writer } from './writer';
import { Reader } from './reader';

describe('Writer', () => {
  // Regression: methods read `this.buf` before room() grew it, so writes past the first
  // buffer's end went into the discarded one.
  it('keeps every value when it grows past its initial size', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -2147483648, max: 2147483647 }), fc.string(), fc.uint8Array({ maxLength: 40 })), { maxLength: 50 }), (items) => {
        const w = new Writer(1);
        for (const [n, s, b] of items) w.int32(n).string(s).bytes(Buffer.from(b)).varint(n).int64(n);
        const r = new Reader(Buffer.from(w.finish()));
        for (const [n, s, b] of items) {
          expect(r.int32()).toBe(n);
          expect(r.string()).toBe(s);
          expect(r.bytes()).toEqual(Buffer.from(b));
          expect(r.varint()).toBe(n);
          expect(r.int64()).toBe(n);
        }
        expect(r.remaining()).toBe(0);
      }),
    );
  });
});
