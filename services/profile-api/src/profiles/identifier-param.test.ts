import fc from 'fast-check';
import { sha256Hex } from '@stratum/identifiers';
import { ApiError } from '../http/errors';
import { parseIdentifierParam } from './identifier-param';

it.each([
  ['email: Ann@X.com ', { type: 'email', namespace: '', valueHash: sha256Hex('ann@x.com') }],
  ['phone:+1 (415) 555-0132', { type: 'phone', namespace: '', valueHash: sha256Hex('+14155550132') }],
  ['user_id:auth0|abc:1', { type: 'user_id', namespace: '', valueHash: sha256Hex('auth0|abc:1') }],
  ['anonymous_id: a1 ', { type: 'anonymous_id', namespace: '', valueHash: sha256Hex(' a1 ') }],
  ['external_id:salesforce:0031x00000AbCdE', { type: 'external_id', namespace: 'salesforce', valueHash: sha256Hex('0031x00000AbCdE') }],
  ['device_id:ios_idfa:6D92:78', { type: 'device_id', namespace: 'ios_idfa', valueHash: sha256Hex('6D92:78') }],
])('%j is hashed as ingest does', (text, expected) => {
  expect(parseIdentifierParam(text)).toEqual(expected);
});

it.each([
  [undefined, 'is required'],
  ['ann@x.com', 'is not <type>:<value>'],
  ['mail:ann@x.com', 'type "mail" is not one of'],
  ['email:', 'has no value'],
  ['email:ann', 'is not an email address'],
  ['phone:4155550132', 'must start with + and the country code'],
  ['phone: 14155550132', 'must start with + and the country code'],
  ['phone:+1 999 555 0132', 'is not a valid phone number'],
  ['user_id:null', 'placeholder'],
  ['external_id:0031x00000AbCdE', 'needs a namespace'],
  ['external_id::x', 'needs a namespace'],
  ['device_id:ios:', 'needs a namespace'],
])('%j is refused: %s', (text, reason) => {
  const result = parseIdentifierParam(text);
  expect(result).toBeInstanceOf(ApiError);
  expect(result).toMatchObject({ code: 'invalid_identifier', details: { field: 'identifier' } });
  expect((result as ApiError).message).toContain(reason);
});

it('never throws', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      parseIdentifierParam(s);
    }),
  );
});
