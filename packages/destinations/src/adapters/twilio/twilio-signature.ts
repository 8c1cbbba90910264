/**
 * Twilio's request signature, `X-Twilio-Signature` on every webhook and status callback
 * (twilio.com/docs/usage/security, "Validating requests are coming from Twilio"; the reference
 * implementation is twilio-node src/webhooks/webhooks.ts):
 *
 *   data      = full URL (with query string) + for each POST param, sorted by name: name + value
 *               (a repeated param: each distinct value, sorted, as name + value)
 *   signature = base64(HMAC-SHA1(key = auth token, data))
 *
 * Twilio's own validator accepts the URL with and without the scheme's default port ("signature
 * generation on the back end is inconsistent"), so verification tries both.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters as received: a repeated field has several values. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

function signedData(url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    const values = typeof value === 'string' ? [value] : [...new Set(value)].sort();
    for (const v of values) data += name + v;
  }
  return data;
}

/** The `X-Twilio-Signature` Twilio computes for a request to `url` carrying `params`. */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  return createHmac('sha1', authToken).update(signedData(url, params), 'utf8').digest('base64');
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };
const URL_PARTS = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#@]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?(.*)$/i;

/**
 * `url` as given, with the default port spelled out, and without it: Twilio may sign any of them.
 * Textual, because the WHATWG URL parser drops a default port and re-encodes characters, and the
 * signature covers the URL exactly as Twilio requested it.
 */
function urlVariants(url: string): string[] {
  const m = URL_PARTS.exec(url);
  const defaultPort = m === null ? undefined : DEFAULT_PORTS[m[1]!.toLowerCase()];
  if (m === null || defaultPort === undefined) return [url];
  const [, scheme, userinfo = '', host, port, rest] = m;
  const without = `${scheme}//${userinfo}${host}${rest}`;
  if (port === undefined) return [url, `${scheme}//${userinfo}${host}:${defaultPort}${rest}`];
  return port === defaultPort ? [url, without] : [url];
}

export interface TwilioSignatureCheck {
  readonly authToken: string;
  /** The URL Twilio requested, exactly as configured (scheme, host, path and query). */
  readonly url: string;
  /** The form-encoded POST parameters (an empty object for a JSON body signed via bodySHA256). */
  readonly params: TwilioParams;
  /** The X-Twilio-Signature header value. */
  readonly signature: string;
}

/** Whether `signature` is Twilio's for this request; constant-time comparison. */
export function verifyTwilioSignature(check: TwilioSignatureCheck): boolean {
  const given = Buffer.from(check.signature, 'utf8');
  let valid = false;
  for (const url of urlVariants(check.url)) {
    const expected = Buffer.from(twilioSignature(check.authToken, url, check.params), 'utf8');
    // Every variant is compared, so the time taken does not tell which one (or whether any) matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}
