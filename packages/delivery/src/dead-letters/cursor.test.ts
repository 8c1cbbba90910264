import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './cursor';
import { deadLetterErrors } from './errors';

test('a cursor decodes to the position it was made from', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), fc.uuid(), (date, micros, dlqId) => {
      const at = `${date.toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
      expect(decodeCursor(encodeCursor({ at, dlqId }))).toEqual({ at, dlqId });
    }),
  );
});

test('anything else is invalid_cursor, never another error', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      try {
        decodeCursor(text);
      } catch (err) {
        expect(deadLetterErrors.is(err, 'invalid_cursor')).toBe(true);
      }
    }),
  );
  const forged = Buffer.from("2026-01-01T00:00:00.000000Z|x' OR 1=1", 'utf8').toString('base64url');
  expect(() => decodeCursor(forged)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
});
