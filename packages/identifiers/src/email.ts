/**
 * Emails as identifiers: canonical form trimmed and lower-cased, the normalisation Meta, Google
 * and TikTok ask for before hashing. Nothing provider-specific (no Gmail dot or +tag folding):
 * those rules are not the platforms', and folding would make our hashes match nobody else's.
 */
import { isIllegalIdentifier } from './illegal-values';

/** local@domain.tld with no spaces and one @; the domain has a dot. Deliverability is not our business, shape is. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
/** RFC 5321's limit on a forward path. */
const MAX_EMAIL_LENGTH = 254;

/**
 * The canonical form of an email (trimmed, lower-cased), or null when it is not email-shaped or
 * its local part is an illegal identifier value (`null@…`, `undefined@…`: a template that
 * rendered nothing).
 */
export function canonicalEmail(value: string): string | null {
  const canonical = value.trim().toLowerCase();
  if (canonical.length > MAX_EMAIL_LENGTH || !EMAIL_SHAPE.test(canonical)) return null;
  const local = canonical.slice(0, canonical.lastIndexOf('@'));
  return isIllegalIdentifier(local) ? null : canonical;
}
