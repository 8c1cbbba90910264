/** Checks for identifiers that platforms require pre-hashed (Meta em/ph, TikTok email/phone/external_id). */

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** True for a lower-case hex SHA-256 digest, the only form Meta and TikTok take for hashed identifiers. */
export function isSha256Hex(value: unknown): boolean {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/**
 * The platforms take one hashed value or a list of them. Returns the first value that is not a
 * lower-case SHA-256 hex digest, JSON-encoded for an error message; undefined when all are.
 */
export function firstUnhashed(value: unknown): string | undefined {
  const values: unknown[] = Array.isArray(value) ? value : [value];
  const offender = values.findIndex((one) => !isSha256Hex(one));
  return offender === -1 ? undefined : JSON.stringify(values[offender]) ?? 'undefined';
}
