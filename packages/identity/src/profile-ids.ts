/** Profile ids: `prf_` and 16 random base-36 characters (82 bits), safe in Kafka keys and URLs. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newProfileId(): string {
  let id = '';
  for (const b of randomBytes(16)) id += ALPHABET[b % 36];
  return `prf_${id}`;
}
