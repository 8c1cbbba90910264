import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './cursor';

it('round-trips', () => {
  const cursor = { at: '2026-11-03T10:00:00.123456Z', id: 'msg-1' };
  const text = encodeCursor(cursor);
  expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(decodeCursor(text)).toEqual(cursor);
});

it('round-trips any id', () => {
  fc.assert(fc.property(fc.string(), (id) => decodeCursor(encodeCursor({ at: '2026-01-01T00:00:00.000000Z', id }))?.id === id));
});

it.each(['', '!!!', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["2026-11-03T10:00:00Z","m"]').toString('base64url'), Buffer.from('["2026-13-45T10:00:00.000000Z","m"]').toString('base64url'),
  Buffer.from('["2026-02-30T10:00:00.000000Z","m"]').toString('base64url'), 'a'.repeat(3000)])(
  'refuses %j',
  (text) => {
    expect(decodeCursor(text)).toBeNull();
  },
);

it('never throws on junk', () => {
  fc.assert(fc.property(fc.string(), (s) => decodeCursor(s) === null || typeof decodeCursor(s)?.id === 'string'));
  // Any bytes behind valid base64url: decoded or refused, never a throw.
  fc.assert(
    fc.property(fc.uint8Array(), (b) => {
      decodeCursor(Buffer.from(b).toString('base64url'));
    }),
  );
});
