import fc from 'fast-check';
import { Refusal } from '../http/errors';
import { checkEvent } from './check-event';
import { SEGMENT_TYPES } from './routes';

const codeOf = (result: unknown) => (result instanceof Refusal ? result.code : result);

describe('checkEvent', () => {
  it('returns the type of a well-formed event of every call type', () => {
    const minimal = { track: { event: 'E' }, identify: {}, page: {}, screen: {}, group: { groupId: 'g' }, alias: { previousId: 'p' } };
    for (const type of SEGMENT_TYPES) {
      expect(checkEvent({ type, userId: 'u', ...minimal[type] }, 0, undefined)).toBe(type);
      expect(checkEvent({ anonymousId: 7, ...minimal[type] }, undefined, type)).toBe(type);
    }
  });

  it('checks the type first, then field types, then identity, then the call-specific field', () => {
    expect(codeOf(checkEvent({ userId: {}, event: 5 }, 0, undefined))).toBe('invalid_type');
    expect(codeOf(checkEvent({ type: 'track', userId: {} }, 0, undefined))).toBe('invalid_field');
    expect(codeOf(checkEvent({ type: 'track' }, 0, undefined))).toBe('missing_identity');
    expect(codeOf(checkEvent({ type: 'track', userId: 'u' }, 0, undefined))).toBe('missing_event_name');
  });

  it('never throws, whatever the value', () => {
    fc.assert(
      fc.property(fc.anything(), fc.option(fc.constantFrom(...SEGMENT_TYPES), { nil: undefined }), (value, routeType) => {
        const result = checkEvent(value, 0, routeType);
        expect(result instanceof Refusal || SEGMENT_TYPES.includes(result)).toBe(true);
      }),
    );
  });
});
