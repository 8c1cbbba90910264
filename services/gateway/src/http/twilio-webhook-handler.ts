/**
 * POST /v1/webhooks/twilio/{tenantId}: Twilio's status callbacks and incoming messages for one
 * tenant (the StatusCallback the twilio_sms adapter sets, and the number's "A message comes in"
 * webhook).
 *
 *   keys configured? → body (form, capped) → AccountSid → X-Twilio-Signature under the tenant's
 *   auth token → status callback: advance the message, 204 | incoming message: STOP/START → the
 *   sender's opt-out, 200 with empty TwiML
 *
 * Twilio retries a webhook that fails (5xx, timeout) and reports every 4xx in the account's debugger,
 * so a refusal is kept for requests that are wrong (unsigned, malformed, unknown tenant) and a 503
 * for what an operator must fix or what passes (keys, PostgreSQL).
 */
import type { Request, Response } from 'express';
import { isConnectionError, type Db } from '@stratum/db';
import { destinationErrors, type CredentialKeyring } from '@stratum/destinations';
import type { Logger } from '@stratum/observability';
import type { GatewayMetrics, TwilioCallbackKind } from '../metrics/gateway-metrics';
import { applyTwilioWebhook } from '../webhooks/twilio/apply-webhook';
import { signedUrl, queryParameter } from '../webhooks/twilio/signed-url';
import { verifyTenantSignature } from '../webhooks/twilio/tenant-signature';
import { isFormContentType, parseTwilioForm, readTwilioWebhook, webhookAccountSid, type FormProblem } from '../webhooks/twilio/twilio-form';
import { decompress, parseContentEncoding } from './decompress';
import { Refusal, refusal } from './errors';
import { readRawBody } from './read-body';
import { requestIdFrom, REQUEST_ID_HEADER } from './request-id';
import { sendRefusal } from './respond';
import { Throttle } from './throttle';

/** The route, in OpenAPI form (express's is `:tenantId`). A public interface: Twilio accounts point at it. */
export const TWILIO_WEBHOOK_PATH = '/v1/webhooks/twilio/{tenantId}';
/** A status callback is under 1 KB; an incoming message at most 1,600 characters plus 10 media URLs. */
export const TWILIO_WEBHOOK_MAX_BODY_BYTES = 64 * 1024;
/** Empty TwiML: "received, no reply" (Twilio's own opt-out handling already answers STOP and START). */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

export interface TwilioWebhookOptions {
  readonly db: Db;
  /** STRATUM_CREDENTIALS_KEYS' keyring, to read the tenants' auth tokens; null: none configured (503). */
  readonly keyring: CredentialKeyring | null;
  /** GATEWAY_PUBLIC_URL: the origin Twilio calls; null: the URL as received. */
  readonly publicUrl: string | null;
}

export interface TwilioWebhookDependencies {
  /** Undefined: this app has no database (test apps); the route answers 503. */
  readonly webhooks: TwilioWebhookOptions | undefined;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

type Outcome = { readonly kind: TwilioCallbackKind } & ({ readonly result: string; readonly twiml: boolean } | { readonly refusal: Refusal });

const RETRY_AFTER_OUTAGE_SECONDS = 5;
const RETRY_AFTER_CONFIG_SECONDS = 60;

function invalid(problem: FormProblem): Refusal {
  return refusal('invalid_webhook', problem.problem, { field: problem.field });
}

function unavailable(message: string, retryAfterSeconds: number, cause?: unknown): Refusal {
  return refusal('webhooks_unavailable', message, { retryAfterSeconds }, cause);
}

/** The express handler of the Twilio webhook route. */
export function twilioWebhookHandler(deps: TwilioWebhookDependencies): (req: Request, res: Response) => Promise<void> {
  // Outages and bad signatures can hit every request while they last: one line per 10 s each.
  const outageWarnings = new Throttle(10_000);
  const refusalWarnings = new Throttle(10_000);

  async function readParams(req: Request): Promise<Record<string, string | string[]> | Refusal> {
    if (!isFormContentType(req.headers['content-type'])) {
      return refusal('invalid_webhook', `Content-Type is ${JSON.stringify((req.headers['content-type'] ?? '').slice(0, 64))}; Twilio webhooks are application/x-www-form-urlencoded`, { field: 'content-type' });
    }
    const codings = parseContentEncoding(req.headers['content-encoding']);
    if (codings instanceof Refusal) return codings;
    const raw = await readRawBody(req, TWILIO_WEBHOOK_MAX_BODY_BYTES);
    if (raw instanceof Refusal) return raw;
    const body = codings.length === 0 ? raw : decompress(raw, codings, TWILIO_WEBHOOK_MAX_BODY_BYTES);
    return body instanceof Refusal ? body : parseTwilioForm(body);
  }

  async function handleWebhook(req: Request, tenantId: string, log: Logger): Promise<Outcome> {
    const options = deps.webhooks;
    if (options === undefined) return { kind: 'unknown', refusal: unavailable('Twilio webhooks are not available on this gateway (it has no database)', RETRY_AFTER_CONFIG_SECONDS) };
    if (options.keyring === null) {
      return { kind: 'unknown', refusal: unavailable("Twilio webhooks are not available: the gateway has no credential keys (STRATUM_CREDENTIALS_KEYS) to read the tenant's Twilio auth token", RETRY_AFTER_CONFIG_SECONDS) };
    }
    const params = await readParams(req);
    if (params instanceof Refusal) return { kind: 'unknown', refusal: params };
    const accountSid = webhookAccountSid(params);
    if (typeof accountSid !== 'string') return { kind: 'unknown', refusal: invalid(accountSid) };
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || signature === '') return { kind: 'unknown', refusal: refusal('invalid_signature', 'the request has no X-Twilio-Signature header') };

    const url = signedUrl(options.publicUrl, { pathAndQuery: req.originalUrl, headers: req.headers, encrypted: 'encrypted' in req.socket && req.socket.encrypted === true });
    const check = await verifyTenantSignature(options.db, options.keyring, { tenantId, accountSid, url, params, signature });
    if (!check.verified) {
      const code = check.reason === 'unknown_tenant' ? 'unknown_tenant' : check.reason === 'credentials_unreadable' ? 'webhooks_unavailable' : 'invalid_signature';
      const details = code === 'webhooks_unavailable' ? { retryAfterSeconds: RETRY_AFTER_CONFIG_SECONDS } : {};
      return { kind: 'unknown', refusal: refusal(code, check.message, details, check.cause) };
    }

    const webhook = readTwilioWebhook(params);
    if ('problem' in webhook) return { kind: 'unknown', refusal: invalid(webhook) };
    const result = await applyTwilioWebhook(options.db, tenantId, webhook, queryParameter(req.originalUrl, 'stratum_key'));
    if (result === 'unknown_message') {
      // Still a 2xx: Twilio would retry a failure, and no retry can make an unknown message known.
      // Usually a message sent before this database, by another Stratum, or whose row the
      // delivery-adapter had not written yet; the metric shows how often.
      log.warn({ messageSid: webhook.kind === 'status' ? webhook.messageSid : undefined, destinationId: check.destinationId }, 'Twilio status callback for an unknown message');
    } else if (result === 'invalid_phone') {
      log.warn({ destinationId: check.destinationId }, 'Twilio opt-out keyword from a sender that is not a phone number; not recorded');
    } else if (result === 'opted_out' || result === 'opted_in') {
      log.info({ destinationId: check.destinationId, result }, 'SMS opt-out changed by keyword');
    }
    return { kind: webhook.kind, result, twiml: webhook.kind === 'inbound' };
  }

  async function safely(req: Request, tenantId: string, log: Logger): Promise<Outcome> {
    try {
      return await handleWebhook(req, tenantId, log);
    } catch (err) {
      if (isConnectionError(err) || destinationErrors.is(err, 'destinations_unavailable')) {
        return { kind: 'unknown', refusal: unavailable('PostgreSQL is unreachable; nothing was recorded, retry later', RETRY_AFTER_OUTAGE_SECONDS, err) };
      }
      return { kind: 'unknown', refusal: refusal('internal_error', 'the webhook failed unexpectedly; nothing was recorded, retrying is safe', {}, err) };
    }
  }

  return async function handle(req, res) {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    const tenantId = typeof req.params['tenantId'] === 'string' ? req.params['tenantId'] : '';
    const log = deps.logger.child({ requestId, tenantId: tenantId.slice(0, 64) });
    const outcome = await safely(req, tenantId, log);
    if ('refusal' in outcome) {
      const { refusal: r } = outcome;
      const status = sendRefusal(res, requestId, r);
      deps.metrics.countTwilioCallback(outcome.kind, r.code);
      // A bad signature usually means GATEWAY_PUBLIC_URL or a token is wrong: worth a (throttled) warning.
      if (r.code === 'internal_error') log.error({ err: r.cause }, r.message);
      else if ((status === 503 ? outageWarnings : refusalWarnings).ready()) log.warn({ err: r.cause, code: r.code, status }, r.message);
      return;
    }
    deps.metrics.countTwilioCallback(outcome.kind, outcome.result);
    if (res.headersSent || res.destroyed) return;
    if (outcome.twiml) {
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(EMPTY_TWIML), [REQUEST_ID_HEADER]: requestId });
      res.end(EMPTY_TWIML);
    } else {
      res.writeHead(204, { [REQUEST_ID_HEADER]: requestId });
      res.end();
    }
  };
}
