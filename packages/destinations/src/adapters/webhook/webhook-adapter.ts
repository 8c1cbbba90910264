/**
 * Webhook destination: one signed POST per event to the tenant's URL.
 *
 *   POST {url}
 *   content-type: application/json
 *   webhook-id: {idempotencyKey}            same on every retry
 *   webhook-timestamp: {attempt, Unix s}    new on every retry (replay protection)
 *   webhook-signature: v1,{sig} [v1,{sig}]  one per secret while a rotation is under way
 *   {WebhookPayload}
 *
 * The URL is the tenant's: before every attempt the service must run `assertPublicTarget` on it
 * and pin the connection (../../net/ssrf-guard.ts); this adapter does no I/O.
 */
import { classifyHttpStatus, classifyNetworkError } from '../classify-http';
import { ConfigReader } from '../config-reader';
import { preparedEvent } from '../prepared-event';
import type { BatchAdapter, HttpRequest } from '../types';
import { parseWebhookSecret, webhookSignatureHeader } from './standard-webhooks';
import { webhookPayload } from './webhook-payload';

export interface WebhookConfig {
  readonly url: string;
  /** Extra static headers the tenant asked for (e.g. an API key of their gateway). */
  readonly headers: Readonly<Record<string, string>>;
  /** Signing keys, the current one first. */
  readonly keys: readonly Buffer[];
  /** Header values that are credentials (redacted in logs). */
  readonly headerSecrets: readonly string[];
}

/** The serialized body, fixed at prepare time so every retry signs identical bytes. */
export interface WebhookPayloadText {
  readonly body: string;
}

const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'host', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'user-agent']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const USER_AGENT = 'Stratum-Webhooks/1';

function readConfig(input: unknown): WebhookConfig {
  const r = new ConfigReader('webhook', input);
  const url = r.url('settings', 'url', null);
  const headers: Record<string, string> = {};
  const headerSecrets: string[] = [];
  const readHeaders = (section: 'settings' | 'credentials') => {
    for (const [name, value] of r.stringMap(section, 'headers')) {
      if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) r.problem(`${section}.headers.${name}`, 'is not a header name the tenant may set');
      else if (/[\r\n]/.test(value)) r.problem(`${section}.headers.${name}`, 'must not contain line breaks');
      else {
        headers[name] = value;
        if (section === 'credentials') headerSecrets.push(value);
      }
    }
  };
  readHeaders('settings');
  // Secret headers (an API key of the tenant's gateway) live with the credentials, encrypted.
  readHeaders('credentials');
  const secrets = r.stringList('credentials', 'secrets', true);
  const keys: Buffer[] = [];
  secrets.forEach((secret, i) => {
    const key = parseWebhookSecret(secret);
    if (key === null) r.problem(`credentials.secrets[${i}]`, 'is not a Standard Webhooks secret ("whsec_" + base64 of 24 to 64 bytes)');
    else keys.push(key);
  });
  return r.done({ url, headers, keys, headerSecrets });
}

export const webhookAdapter: BatchAdapter<WebhookConfig, WebhookPayloadText> = {
  type: 'webhook',
  kind: 'batch',
  maxBatch: 1,

  parseConfig: readConfig,

  // Which events reach a webhook is the destination's filters (the service applies them): every event type maps.
  prepare(event, _config, ctx) {
    return preparedEvent(event, ctx, { body: JSON.stringify(webhookPayload(event)) });
  },

  buildRequests(prepared, config, ctx) {
    const timestamp = Math.floor(ctx.now / 1000);
    return prepared.map(
      (p): HttpRequest => ({
        method: 'POST',
        url: config.url,
        headers: {
          ...config.headers,
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': p.idempotencyKey,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': webhookSignatureHeader(config.keys, p.idempotencyKey, timestamp, p.payload.body),
        },
        body: p.payload.body,
        events: [{ messageId: p.messageId, idempotencyKey: p.idempotencyKey }],
        secrets: config.headerSecrets,
      }),
    );
  },

  classify(result, _request, ctx) {
    if ('networkError' in result) return classifyNetworkError(result.networkError);
    return classifyHttpStatus(result.response, ctx);
  },
};
