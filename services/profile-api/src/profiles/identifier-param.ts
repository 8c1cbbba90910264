/**
 * The `identifier` of a look-up, `<type>:<value>`, hashed server-side exactly as ingest hashes what
 * events carry (@stratum/identifiers): email trimmed and lower-cased, phone to E.164, the others as
 * given. Types that carry a namespace take it between type and value —
 * `external_id:salesforce:0031…`, `device_id:ios_idfa:6D92…` — and need it: identifiers of those
 * types are stored per namespace, and a look-up answers at most one profile. The value is
 * everything after the separator, colons included (`user_id:auth0|abc:1` is user id
 * `auth0|abc:1`); a namespace cannot contain a colon.
 *
 * Phones must be international (`+` and the country code): the API has no source, so no region to
 * read a national number in, and guessing one could find the wrong person.
 */
import { canonicalIdentifier, type IdentifierRejection } from '@stratum/identifiers';
import { IDENTIFIER_TYPES } from '@stratum/identity';
import type { IdentifierType } from '@stratum/schemas';
import { invalid, type ApiError } from '../http/errors';

/** The identifier row a look-up is for. */
export interface IdentifierLookup {
  readonly type: IdentifierType;
  /** '' for the types without one, as stored. */
  readonly namespace: string;
  readonly valueHash: string;
}

export const NAMESPACED_TYPES: readonly IdentifierType[] = ['external_id', 'device_id'];
const MAX_IDENTIFIER_LENGTH = 1024;
const FIELD = 'identifier';

const REJECTION_REASONS: Readonly<Record<IdentifierRejection, string>> = {
  illegal_value: 'is a placeholder value (null, undefined, anonymous, all zeros…) that is never an identifier',
  invalid_email: 'is not an email address (local@domain.tld)',
  invalid_phone: 'is not a valid phone number',
  no_phone_region: 'is not in international form: a phone number must start with + and the country code, e.g. phone:+14155550100 (send the + as %2B or as is, not as a space)',
};

/** The identifier to look up, or the refusal saying what is wrong with the parameter. */
export function parseIdentifierParam(text: string | undefined): IdentifierLookup | ApiError {
  if (text === undefined || text === '') return invalid('invalid_identifier', FIELD, 'is required, as <type>:<value>, e.g. email:ann@example.com');
  if (text.length > MAX_IDENTIFIER_LENGTH) return invalid('invalid_identifier', FIELD, `is longer than ${MAX_IDENTIFIER_LENGTH} characters`);
  if (text.includes('\u0000')) return invalid('invalid_identifier', FIELD, 'contains a NUL character');
  const colon = text.indexOf(':');
  if (colon === -1) return invalid('invalid_identifier', FIELD, `is not <type>:<value> (type one of ${IDENTIFIER_TYPES.join(', ')})`);
  const type = text.slice(0, colon);
  if (!(IDENTIFIER_TYPES as readonly string[]).includes(type)) return invalid('invalid_identifier', FIELD, `type ${JSON.stringify(type.slice(0, 40))} is not one of ${IDENTIFIER_TYPES.join(', ')}`);
  const identifierType = type as IdentifierType;
  let namespace = '';
  let value = text.slice(colon + 1);
  if (NAMESPACED_TYPES.includes(identifierType)) {
    const second = value.indexOf(':');
    if (second <= 0 || second === value.length - 1) {
      return invalid('invalid_identifier', FIELD, `${type} needs a namespace: ${type}:<namespace>:<value>, e.g. ${type === 'external_id' ? 'external_id:salesforce:0031x00000AbCdE' : 'device_id:ios_idfa:6D92078A-8246-4BA4-AE5B-76104861E7DC'}`);
    }
    namespace = value.slice(0, second);
    value = value.slice(second + 1);
  }
  if (value === '') return invalid('invalid_identifier', FIELD, `has no value after ${type}:`);
  const canonical = canonicalIdentifier(identifierType, value, { defaultPhoneRegion: null });
  if ('rejected' in canonical) return invalid('invalid_identifier', FIELD, `value ${REJECTION_REASONS[canonical.rejected]}`);
  return { type: identifierType, namespace, valueHash: canonical.valueHash };
}
