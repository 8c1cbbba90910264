/**
 * Write keys and admin keys: random, prefixed so a leaked key is recognisable in logs and secret
 * scanners (`wk_…` write key, `sk_…` admin key), and stored only as SHA-256 hashes. A plain hash
 * (not bcrypt) is right here: keys are 192 random bits, so there is nothing to brute-force, and
 * the gateway must check one per request.
 */
import { createHash, randomBytes } from 'node:crypto';

export const WRITE_KEY_PREFIX = 'wk_';
export const ADMIN_KEY_PREFIX = 'sk_';

/** A new random key: prefix + 32 base64url characters (192 bits). */
export function newKey(prefix: string): string {
  return prefix + randomBytes(24).toString('base64url');
}

/** Lower-case hex SHA-256 of the key, as stored. */
export function hashWriteKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The first characters of a key, safe to show in lists and logs. */
export function keyHint(key: string): string {
  return `${key.slice(0, 7)}…`;
}
