/**
 * Twilio's request signature (X-Twilio-Signature), as Twilio computes it for every webhook:
 *   data = full URL (scheme, host, path, query, exactly as configured)
 *        + for each POST parameter, sorted by name (case-sensitive): name + value
 *   signature = base64(HMAC-SHA1(key = account auth token, data))
 * Source: twilio.com/docs/usage/webhooks/webhooks-security. A parameter sent several times
 * contributes name + value once per value, values sorted (as Twilio's helper libraries do).
 */
import { createHmac } from 'node:crypto';

/** Twilio's X-Twilio-Signature of a form-encoded webhook to `url` with `params`. */
export function twilioSignature(authToken: string, url: string, params: Readonly<Record<string, string | readonly string[]>> = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name] ?? '';
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const one of values) data += name + one;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}
