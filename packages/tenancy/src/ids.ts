/**
 * Tenant and source ids: a type prefix and 16 random base-36 characters (82 bits). They appear in
 * Kafka keys joined by ':' and in URLs, so they use only [a-z0-9_].
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newId(prefix: 'ten' | 'src'): string {
  const bytes = randomBytes(16);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % 36];
  return `${prefix}_${id}`;
}
