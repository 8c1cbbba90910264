import fc from 'fast-check';
import { MESSAGE_STATES, isFinalMessageState, nextMessageState, type MessageState } from './message-state';

const rank = (s: MessageState) => MESSAGE_STATES.indexOf(s);
const fold = (start: MessageState | null, statuses: string[]) => statuses.reduce<MessageState | null>(nextMessageState, start);

it('moves forward along queued → sending → sent → delivered', () => {
  expect(fold(null, ['queued', 'sending', 'sent', 'delivered'])).toBe('delivered');
  expect(fold('accepted', ['queued', 'failed'])).toBe('failed');
});

it('ignores a late sent after delivered (regression: callbacks overtaking each other)', () => {
  expect(nextMessageState('delivered', 'sent')).toBe('delivered');
  expect(nextMessageState('delivered', 'queued')).toBe('delivered');
  expect(nextMessageState('undelivered', 'sending')).toBe('undelivered');
});

it('lets positive evidence win: delivered after undelivered, read after delivered', () => {
  expect(nextMessageState('undelivered', 'delivered')).toBe('delivered');
  expect(nextMessageState('delivered', 'read')).toBe('read');
  expect(nextMessageState('delivered', 'failed')).toBe('delivered');
});

it('ignores statuses it does not know (inbound ones, future ones)', () => {
  expect(nextMessageState('sent', 'received')).toBe('sent');
  expect(nextMessageState(null, 'teleported')).toBeNull();
});

it('whatever order the callbacks arrive in, ends at the highest status reached', () => {
  const status = fc.constantFrom(...MESSAGE_STATES);
  fc.assert(
    fc.property(fc.option(status, { nil: null }), fc.array(fc.oneof(status, fc.constantFrom('received', 'bogus')), { maxLength: 20 }), (start, callbacks) => {
      const known = [...(start === null ? [] : [start]), ...callbacks.filter((c): c is MessageState => (MESSAGE_STATES as readonly string[]).includes(c))];
      const expected = known.length === 0 ? null : known.reduce((a, b) => (rank(b) > rank(a) ? b : a));
      expect(fold(start, callbacks)).toBe(expected);
    }),
  );
});

it('is independent of order: any permutation of the same callbacks ends in the same state', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...MESSAGE_STATES), { minLength: 1, maxLength: 12 }).chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length }))), ([xs, shuffled]) => {
      expect(fold(null, shuffled)).toBe(fold(null, xs));
    }),
  );
});

it('knows which states are final', () => {
  expect(MESSAGE_STATES.filter(isFinalMessageState)).toEqual(['canceled', 'failed', 'undelivered', 'partially_delivered', 'delivered', 'read']);
});
