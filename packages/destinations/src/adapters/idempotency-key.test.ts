import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { idempotencyKey } from './idempotency-key';

it('is the first 26 RFC 4648 base32 characters (lower-cased) of the SHA-256 of the JSON triple', () => {
  // Independent base32: bits as a string of 0/1, cut in fives.
  const digest = createHash('sha256').update(JSON.stringify(['tn_1', 'dst_1', 'm-1'])).digest();
  const bits = Array.from(digest, (b) => b.toString(2).padStart(8, '0')).join('');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let expected = '';
  for (let i = 0; i < 26 * 5; i += 5) expected += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  expect(idempotencyKey('tn_1', 'dst_1', 'm-1')).toBe(`msg_${expected.toLowerCase()}`);
});

it('is stable, shaped for headers and URLs, and separates the three parts', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), fc.string(), (t, d, m) => {
      const key = idempotencyKey(t, d, m);
      expect(key).toMatch(/^msg_[a-z2-7]{26}$/);
      expect(idempotencyKey(t, d, m)).toBe(key);
    }),
  );
  expect(idempotencyKey('a:b', 'c', 'm')).not.toBe(idempotencyKey('a', 'b:c', 'm'));
  expect(idempotencyKey('t', 'dst_1', 'm')).not.toBe(idempotencyKey('t', 'dst_2', 'm'));
});
