/** Destination ids: `dst_` and 16 random base-36 characters (82 bits), like tenant and source ids, safe in Kafka keys. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newDestinationId(): string {
  let id = '';
  for (const b of randomBytes(16)) id += ALPHABET[b % 36];
  return `dst_${id}`;
}
