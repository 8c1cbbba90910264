import fc from 'fast-check';
import { canonicalIdentifier, sha256Hex } from '@stratum/identifiers';
import { extractIdentifiers, type IdentitySource } from './extract';

const base: IdentitySource = { type: 'track', userId: null, anonymousId: null, previousId: null, traits: {}, context: {}, defaultPhoneRegion: 'US' };

it('finds every kind, in the documented order, hashing email and phone without their cleartext', () => {
  const { identifiers, rejected } = extractIdentifiers({
    ...base,
    type: 'identify',
    userId: 'user-8812',
    anonymousId: 'anon-1',
    traits: { email: ' Ada@Example.com ', phone: '(415) 555-0132' },
    context: {
      traits: { email: 'ada.work@example.com', phone: '+44 7400 123456' },
      device: { id: 'B5372DB0-C21E', advertisingId: '7A3CBEA0-BDF5', type: 'iOS' },
      externalIds: [{ id: '003A000001xyz', type: 'salesforce', collection: 'users', encoding: 'none' }],
    },
  });
  expect(rejected).toEqual([]);
  expect(identifiers).toEqual([
    { type: 'user_id', namespace: null, value: 'user-8812', valueHash: sha256Hex('user-8812'), path: 'userId' },
    { type: 'anonymous_id', namespace: null, value: 'anon-1', valueHash: sha256Hex('anon-1'), path: 'anonymousId' },
    { type: 'email', namespace: null, value: null, valueHash: sha256Hex('ada@example.com'), path: 'traits.email' },
    { type: 'phone', namespace: null, value: null, valueHash: sha256Hex('+14155550132'), path: 'traits.phone' },
    { type: 'email', namespace: null, value: null, valueHash: sha256Hex('ada.work@example.com'), path: 'context.traits.email' },
    { type: 'phone', namespace: null, value: null, valueHash: sha256Hex('+447400123456'), path: 'context.traits.phone' },
    { type: 'device_id', namespace: 'ios', value: 'B5372DB0-C21E', valueHash: sha256Hex('B5372DB0-C21E'), path: 'context.device.id' },
    { type: 'device_id', namespace: 'ios_idfa', value: '7A3CBEA0-BDF5', valueHash: sha256Hex('7A3CBEA0-BDF5'), path: 'context.device.advertisingId' },
    { type: 'external_id', namespace: 'salesforce', value: '003A000001xyz', valueHash: sha256Hex('003A000001xyz'), path: 'context.externalIds[0].id' },
  ]);
});

it('keeps an identifier once, at its first path', () => {
  const { identifiers } = extractIdentifiers({ ...base, type: 'alias', userId: 'u1', anonymousId: 'a1', previousId: 'a1', traits: { email: 'A@x.io' }, context: { traits: { email: 'a@X.io ' } } });
  expect(identifiers.map((i) => `${i.type}@${i.path}`)).toEqual(['user_id@userId', 'anonymous_id@anonymousId', 'email@traits.email']);
});

it("takes alias's previousId last, as an anonymous_id at path previousId", () => {
  const { identifiers } = extractIdentifiers({ ...base, type: 'alias', userId: 'u2', previousId: 'u1', context: { traits: { email: 'a@x.io' } } });
  expect(identifiers.map((i) => `${i.type}@${i.path}`)).toEqual(['user_id@userId', 'email@context.traits.email', 'anonymous_id@previousId']);
});

it("does not take a group's traits for the person's: they describe the company", () => {
  const { identifiers } = extractIdentifiers({ ...base, type: 'group', userId: 'u1', traits: { email: 'billing@acme.com', phone: '+14155550132' }, context: { traits: { email: 'ada@acme.com' } } });
  expect(identifiers.map((i) => i.path)).toEqual(['userId', 'context.traits.email']);
});

it('leaves out, and reports, values that cannot be identifiers', () => {
  const { identifiers, rejected } = extractIdentifiers({
    ...base,
    defaultPhoneRegion: null,
    anonymousId: 'a1',
    traits: { email: 'not-an-email', phone: '415 555 0132' },
    context: { traits: { email: 42, phone: '+1 999 555 0132' }, device: { id: '00000000-0000-0000-0000-000000000000', type: 'android' }, externalIds: [{ id: 'null', type: 'hubspot' }] },
  });
  expect(identifiers.map((i) => i.path)).toEqual(['anonymousId']);
  expect(rejected).toEqual([
    { type: 'email', path: 'traits.email', reason: 'invalid_email' },
    { type: 'phone', path: 'traits.phone', reason: 'no_phone_region' },
    { type: 'email', path: 'context.traits.email', reason: 'invalid_email' },
    { type: 'phone', path: 'context.traits.phone', reason: 'invalid_phone' },
    { type: 'device_id', path: 'context.device.id', reason: 'illegal_value' },
    { type: 'external_id', path: 'context.externalIds[0].id', reason: 'illegal_value' },
  ]);
});

it('skips the advertising id of a user who limited ad tracking, and names kinds by device type', () => {
  const limited = extractIdentifiers({ ...base, anonymousId: 'a', context: { device: { id: 'd1', advertisingId: 'ad1', adTrackingEnabled: false, type: 'android' } } });
  expect(limited.identifiers.map((i) => `${i.namespace}:${i.value}`)).toEqual(['null:a', 'android:d1']);
  const android = extractIdentifiers({ ...base, anonymousId: 'a', context: { device: { advertisingId: 'ad1', type: 'android' } } });
  expect(android.identifiers[1]).toMatchObject({ type: 'device_id', namespace: 'android_aaid', value: 'ad1' });
  const untyped = extractIdentifiers({ ...base, anonymousId: 'a', context: { device: { id: 'd1', advertisingId: 'ad1' } } });
  expect(untyped.identifiers.slice(1).map((i) => i.namespace)).toEqual(['device', 'advertising_id']);
});

it('hashes an email or phone sent as an external id instead of carrying it in clear', () => {
  const { identifiers } = extractIdentifiers({
    ...base,
    anonymousId: 'a',
    context: { externalIds: [{ id: 'Ada@Example.com', type: 'email', collection: 'users', encoding: 'none' }, { id: '4155550132', type: 'phone' }, { id: 'ab12', type: 'email', encoding: 'sha256' }] },
  });
  expect(identifiers.slice(1)).toEqual([
    { type: 'email', namespace: null, value: null, valueHash: sha256Hex('ada@example.com'), path: 'context.externalIds[0].id' },
    { type: 'phone', namespace: null, value: null, valueHash: sha256Hex('+14155550132'), path: 'context.externalIds[1].id' },
    { type: 'external_id', namespace: 'email', value: 'ab12', valueHash: sha256Hex('ab12'), path: 'context.externalIds[2].id' },
  ]);
});

// The profile API finds profiles by value with canonicalIdentifier (no region: international phones
// only): whatever extraction hashes, a look-up of the same text must hash the same way.
it('hashes every value exactly as canonicalIdentifier does (the look-up side of the profile API)', () => {
  const text = fc.oneof(fc.string(), fc.constantFrom(' Ann@X.com ', 'null', '+1 415 555 0132', '(415) 555-0132', '0000', 'user-1'));
  fc.assert(
    fc.property(text, text, text, (userId, email, phone) => {
      const { identifiers } = extractIdentifiers({ ...base, defaultPhoneRegion: null, userId, traits: { email, phone } });
      return (['user_id', 'email', 'phone'] as const).every((type, i) => {
        const looked = canonicalIdentifier(type, [userId, email, phone][i]!);
        const found = identifiers.find((x) => x.type === type);
        return 'rejected' in looked ? found === undefined : found?.valueHash === looked.valueHash && found.value === looked.value;
      });
    }),
  );
});
