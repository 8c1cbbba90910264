/**
 * Standard Webhooks signatures (standardwebhooks.com, github.com/standard-webhooks/webhooks):
 *   headers    webhook-id, webhook-timestamp (Unix seconds), webhook-signature
 *   signature  "v1," + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)); the header may hold
 *              several, space-separated (key rotation); one match suffices
 *   secret     "whsec_" + base64(key); the reference libraries base64-decode it after the prefix
 *   tolerance  a timestamp more than 5 minutes from now is refused (replay protection)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a delivery fails verification; stable codes for the recording. */
export type StandardWebhookFailure = 'missing_headers' | 'invalid_timestamp' | 'timestamp_out_of_tolerance' | 'no_matching_signature';

/** The headers a Standard Webhooks sender sets. */
export interface StandardWebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** The spec's default tolerance between the sender's timestamp and the receiver's clock. */
export const STANDARD_WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** The `v1,<base64>` signature a Standard Webhooks sender puts in webhook-signature for this delivery. */
export function standardWebhookSignature(secret: string, id: string, timestampSeconds: number | string, body: string): string {
  const digest = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${digest}`;
}

/** Verifies a delivery as the spec says; undefined when it is authentic. */
export function verifyStandardWebhook(
  secret: string,
  headers: StandardWebhookHeaders,
  body: string,
  nowSeconds: number,
  toleranceSeconds = STANDARD_WEBHOOK_TOLERANCE_SECONDS,
): StandardWebhookFailure | undefined {
  const { id, timestamp, signature } = headers;
  if (id === undefined || timestamp === undefined || signature === undefined) return 'missing_headers';
  if (!/^\d+$/.test(timestamp)) return 'invalid_timestamp';
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return 'timestamp_out_of_tolerance';
  const expected = Buffer.from(standardWebhookSignature(secret, id, timestamp, body).slice('v1,'.length), 'base64');
  const matches = signature.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || value === undefined) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? undefined : 'no_matching_signature';
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}
