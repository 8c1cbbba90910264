/**
 * One identifier value, canonicalised and hashed by its type's rule — the rule ingest applies to
 * what events carry, so anything looking an identifier up by value (the profile API's
 * `?identifier=email:…`) lands on the same hash:
 * - email: trimmed and lower-cased (canonicalEmail), only the hash is kept;
 * - phone: E.164 (canonicalPhone), only the hash is kept;
 * - user_id, anonymous_id, device_id, external_id: the value as given (not trimmed), kept in clear.
 * Placeholder values (isIllegalIdentifier) are never identifiers, whatever the type.
 */
import type { IdentifierType } from '@stratum/schemas';
import { canonicalEmail } from './email';
import { sha256Hex } from './hash';
import { isIllegalIdentifier } from './illegal-values';
import { canonicalPhone, type PhoneRejection } from './phone';

/** Why a value is not an identifier (a metric label in ingest: a closed set). */
export type IdentifierRejection = 'illegal_value' | 'invalid_email' | PhoneRejection;

export type CanonicalIdentifier =
  | {
      /** What was hashed. */
      readonly canonical: string;
      /** Lower-case hex SHA-256 of `canonical`. */
      readonly valueHash: string;
      /** The cleartext an identifier row keeps: null for email and phone (PII travels only hashed). */
      readonly value: string | null;
    }
  | { readonly rejected: IdentifierRejection };

export interface CanonicalIdentifierOptions {
  /** ISO 3166-1 alpha-2 region for national phone numbers; null/absent = international (`+…`) input only. */
  readonly defaultPhoneRegion?: string | null;
}

/** The canonical form, hash and stored cleartext of one identifier value, or why it is not one. */
export function canonicalIdentifier(type: IdentifierType, value: string, options: CanonicalIdentifierOptions = {}): CanonicalIdentifier {
  if (type === 'email') {
    const canonical = canonicalEmail(value);
    return canonical === null ? { rejected: 'invalid_email' } : { canonical, valueHash: sha256Hex(canonical), value: null };
  }
  if (type === 'phone') {
    const result = canonicalPhone(value, options.defaultPhoneRegion ?? null);
    return 'rejected' in result ? result : { canonical: result.e164, valueHash: sha256Hex(result.e164), value: null };
  }
  if (isIllegalIdentifier(value)) return { rejected: 'illegal_value' };
  return { canonical: value, valueHash: sha256Hex(value), value };
}
