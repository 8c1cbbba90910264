/**
 * The idempotency key of one event at one destination: the same on every retry and replay, so a
 * receiver that deduplicates (Standard Webhooks `webhook-id`, our status callbacks) sees a repeat
 * as a repeat. Deterministic, so nothing has to be stored to reproduce it.
 *
 *   key = "msg_" + base32(SHA-256(JSON [tenantId, destinationId, messageId]))[0..26)
 *
 * JSON framing keeps ("a:b", "c") and ("a", "b:c") apart; 26 base32 characters are 130 bits,
 * far beyond any collision risk; lower-case RFC 4648 letters and digits only, so no "." (which
 * Standard Webhooks forbids in ids) and safe in URLs and headers.
 */
import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const KEY_CHARS = 26;

function base32(bytes: Uint8Array, chars: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length === chars) break;
  }
  return out;
}

/** The idempotency key of (tenant, destination, event). */
export function idempotencyKey(tenantId: string, destinationId: string, messageId: string): string {
  const digest = createHash('sha256').update(JSON.stringify([tenantId, destinationId, messageId]), 'utf8').digest();
  return `msg_${base32(digest, KEY_CHARS)}`;
}
