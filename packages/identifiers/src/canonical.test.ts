import fc from 'fast-check';
import { canonicalIdentifier } from './canonical';
import { canonicalEmail } from './email';
import { sha256Hex } from './hash';

it('email: trimmed and lower-cased before hashing; no cleartext kept', () => {
  expect(canonicalIdentifier('email', ' Ann@X.com ')).toEqual({ canonical: 'ann@x.com', valueHash: sha256Hex('ann@x.com'), value: null });
  expect(canonicalIdentifier('email', 'not-an-email')).toEqual({ rejected: 'invalid_email' });
});

it('phone: E.164 before hashing; national numbers need a region', () => {
  expect(canonicalIdentifier('phone', '+1 (415) 555-0132')).toEqual({ canonical: '+14155550132', valueHash: sha256Hex('+14155550132'), value: null });
  expect(canonicalIdentifier('phone', '(415) 555-0132')).toEqual({ rejected: 'no_phone_region' });
  expect(canonicalIdentifier('phone', '(415) 555-0132', { defaultPhoneRegion: 'US' })).toMatchObject({ canonical: '+14155550132' });
  expect(canonicalIdentifier('phone', '+1 999 555 0132')).toEqual({ rejected: 'invalid_phone' });
});

it.each(['user_id', 'anonymous_id', 'device_id', 'external_id'] as const)('%s: the value as given, kept in clear; placeholders refused', (type) => {
  expect(canonicalIdentifier(type, ' U-1 ')).toEqual({ canonical: ' U-1 ', valueHash: sha256Hex(' U-1 '), value: ' U-1 ' });
  expect(canonicalIdentifier(type, 'undefined')).toEqual({ rejected: 'illegal_value' });
});

it('every accepted email hashes its canonicalEmail', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const r = canonicalIdentifier('email', s);
      const canonical = canonicalEmail(s);
      return 'rejected' in r ? canonical === null : r.valueHash === sha256Hex(canonical!);
    }),
  );
});
