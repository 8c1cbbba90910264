/**
 * @stratum/identifiers: identifier values as every stage must agree on them — the canonical forms
 * (email trimmed and lower-cased, phone E.164), the placeholder values that are never identifiers,
 * and the unsalted SHA-256 that matches what ad platforms expect. Ingest hashes what events carry
 * with these; the profile API hashes a looked-up value with the same functions, so both land on
 * the same identifier row.
 */
export { canonicalEmail } from './email';
export { canonicalPhone, type PhoneRejection, type PhoneResult } from './phone';
export { sha256Hex } from './hash';
export { isIllegalIdentifier, ILLEGAL_IDENTIFIER_VALUES } from './illegal-values';
export { canonicalIdentifier, type CanonicalIdentifier, type CanonicalIdentifierOptions, type IdentifierRejection } from './canonical';
