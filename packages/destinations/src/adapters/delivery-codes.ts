/**
 * The stable codes of DeliveryError (schemas/delivery.attempts/v1.avsc): one registry, so the
 * outcome and `retryable` of a code are decided once and every adapter agrees. Codes label
 * metrics and DLQ reasons; the platform's own wording goes in `message`.
 */
import type { DeliveryError } from '@stratum/schemas';
import type { Classification } from './types';

type FailureOutcome = Exclude<Classification['outcome'], 'delivered'>;

interface DeliveryCodeSpec {
  readonly outcome: FailureOutcome;
  readonly description: string;
}

export const DELIVERY_ERROR_CODES = {
  http_408: { outcome: 'retry', description: 'the platform timed out reading our request (408)' },
  http_429: { outcome: 'retry', description: 'rate limited by HTTP status 429; Retry-After is honoured' },
  http_5xx: { outcome: 'retry', description: 'the platform answered with a server error (5xx)' },
  timeout: { outcome: 'retry', description: 'no answer in time (connect, headers or body timeout, or aborted)' },
  connection_refused: { outcome: 'retry', description: 'the platform refused the TCP connection' },
  connection_reset: { outcome: 'retry', description: 'the connection broke before a full answer arrived' },
  dns_failed: { outcome: 'retry', description: 'the platform host did not resolve' },
  tls_failed: { outcome: 'retry', description: 'the TLS handshake or certificate check failed' },
  network_error: { outcome: 'retry', description: 'another transport failure before an answer' },
  rate_limited: { outcome: 'retry', description: 'the platform reported a rate limit in its error body (Meta 4/17/32/613, TikTok 40100, Twilio 20429)' },
  circuit_open: { outcome: 'retry', description: "not sent: the destination's circuit breaker is open after repeated failures" },
  throttled: { outcome: 'retry', description: "not sent: the destination's rate limit would have held the batch longer than its time budget" },
  destination_backlog: { outcome: 'retry', description: 'not sent: the destination used up its time budget for this batch (slow answers), so the rest waits for a retry instead of delaying other destinations' },
  platform_unavailable: { outcome: 'retry', description: 'the platform reported a transient error in its error body (Meta 1/2, TikTok 5xxxx)' },
  auth_failed: { outcome: 'failed', description: 'credentials were refused (401, Meta 190, TikTok 40104/40105, Twilio 20003)' },
  permission_denied: { outcome: 'failed', description: 'the credentials lack a permission (403, Meta 10/200-299, TikTok 40001)' },
  not_found: { outcome: 'failed', description: 'the endpoint or account does not exist (404)' },
  endpoint_gone: { outcome: 'failed', description: 'the receiver says it wants no more deliveries (410): disable the destination' },
  redirect_not_followed: { outcome: 'failed', description: 'the endpoint answered with a redirect; redirects are never followed (SSRF), the URL must be updated' },
  target_blocked: { outcome: 'failed', description: 'the SSRF guard refused the URL (non-public address, bad scheme): the tenant must change it' },
  http_4xx: { outcome: 'failed', description: 'another client error status' },
  platform_rejected: { outcome: 'failed', description: 'the platform refused the request with an error code we do not map more precisely' },
  invalid_payload: { outcome: 'invalid', description: 'the platform refused the event data (400/422, Meta 100, TikTok 40002)' },
  payload_too_large: { outcome: 'invalid', description: 'the request body exceeded the platform limit (413)' },
  invalid_recipient: { outcome: 'invalid', description: 'the recipient address cannot receive messages (Twilio 21211/21614)' },
  opted_out: { outcome: 'opted_out', description: 'the recipient unsubscribed from this sender (Twilio 21610)' },
} as const satisfies Record<string, DeliveryCodeSpec>;

export type DeliveryErrorCode = keyof typeof DELIVERY_ERROR_CODES;

/** Details of a failure beyond its code. */
export interface FailureDetails {
  readonly httpStatus?: number | null;
  readonly retryAfterMs?: number | null;
  readonly externalId?: string | null;
  readonly retryIndividually?: boolean;
}

/** A failed Classification whose outcome and `retryable` come from the code registry. */
export function failure(code: DeliveryErrorCode, message: string, details: FailureDetails = {}): Classification {
  const spec: DeliveryCodeSpec = DELIVERY_ERROR_CODES[code];
  const error: DeliveryError = {
    code,
    message,
    httpStatus: details.httpStatus ?? null,
    retryAfterMs: spec.outcome === 'retry' ? (details.retryAfterMs ?? null) : null,
    retryable: spec.outcome === 'retry',
  };
  return { outcome: spec.outcome, error, externalId: details.externalId ?? null, retryIndividually: details.retryIndividually ?? false, note: null };
}

/** A delivered Classification. */
export function delivered(externalId: string | null, note: string | null = null): Classification {
  return { outcome: 'delivered', error: null, externalId, retryIndividually: false, note };
}
