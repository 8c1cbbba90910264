/**
 * Standard Webhooks signing, symmetric scheme (spec v1.0.0, github.com/standard-webhooks,
 * spec/standard-webhooks.md, "Signature scheme" and "Webhook headers"):
 *
 *   secret            = "whsec_" base64(24..64 random bytes)       (the bytes are the HMAC key)
 *   signed content    = msg_id "." timestamp "." body                (body byte-exact as sent)
 *   signature         = "v1," base64(HMAC-SHA256(key, signed content))
 *   webhook-signature = signature *(" " signature)                   (one per secret: rotation)
 *   webhook-timestamp = integer Unix seconds of the attempt
 *   webhook-id        = the message id, the same on every retry (the receiver's idempotency key)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** "At least 24 bytes (192 bits, 512 maximum)". */
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;

/** The key bytes of a `whsec_` secret, or null when it is not one (wrong prefix, not base64, wrong length). */
export function parseWebhookSecret(secret: string): Buffer | null {
  if (!secret.startsWith(PREFIX)) return null;
  const encoded = secret.slice(PREFIX.length);
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= MIN_SECRET_BYTES && key.length <= MAX_SECRET_BYTES ? key : null;
}

/** The `v1,` signature of one message under one key. */
export function signatureV1(key: Uint8Array, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64')}`;
}

/** The `webhook-signature` header value: one signature per key, space-separated (the current key first). */
export function webhookSignatureHeader(keys: readonly Uint8Array[], id: string, timestampSeconds: number, body: string): string {
  return keys.map((key) => signatureV1(key, id, timestampSeconds, body)).join(' ');
}

/**
 * The receiver's check, for our own tests and for tenants who ask: some `v1,` signature in the
 * header matches under `key`, compared in constant time, and the timestamp is within
 * `toleranceSeconds` of `nowSeconds` (replay protection).
 */
export function verifyWebhookSignature(
  key: Uint8Array,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!/^\d+$/.test(headers.timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureV1(key, headers.id, timestamp, body));
  return headers.signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
