/**
 * The failure classification every adapter ends with, after its platform-specific parsing:
 *
 *   2xx                          delivered
 *   408, 429, 5xx, no answer     retry (honouring Retry-After, seconds or HTTP-date)
 *   400, 422, 413                invalid (this event's data; the destination is fine)
 *   3xx, 401, 403, 404, 410, 4xx failed (the destination is broken for every event)
 *
 * Retry-After is read on every answer (a 503 carries it as often as a 429).
 */
import { netErrors } from '../net/errors';
import { parseRetryAfter } from '../net/retry-after';
import { delivered, failure, type DeliveryErrorCode } from './delivery-codes';
import type { Classification, ClassifyContext, HttpResponse } from './types';

/** How much of an unparsed error body goes into a DeliveryError message. */
const BODY_EXCERPT = 200;

/** A response header by case-insensitive name. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The answer's Retry-After in milliseconds, or null when it sent none (or nothing readable). */
export function retryAfterOf(response: HttpResponse, ctx: ClassifyContext): number | null {
  return parseRetryAfter(headerValue(response.headers, 'retry-after'), ctx.now);
}

function statusCode(status: number): DeliveryErrorCode {
  if (status >= 500) return 'http_5xx';
  if (status >= 300 && status < 400) return 'redirect_not_followed';
  switch (status) {
    case 400:
    case 422:
      return 'invalid_payload';
    case 401:
      return 'auth_failed';
    case 403:
      return 'permission_denied';
    case 404:
      return 'not_found';
    case 408:
      return 'http_408';
    case 410:
      return 'endpoint_gone';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'http_429';
    default:
      return 'http_4xx';
  }
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > BODY_EXCERPT ? `${flat.slice(0, BODY_EXCERPT)}…` : flat;
}

export interface StatusClassificationOptions {
  /** The platform's reason, when its error body was understood; otherwise a body excerpt is used. */
  readonly reason?: string | null;
  readonly externalId?: string | null;
  /** The request carried several events and the refusal may be one event's fault. */
  readonly batchOfSeveral?: boolean;
}

/** Classifies an answer by its HTTP status alone (the common rule above). */
export function classifyHttpStatus(response: HttpResponse, ctx: ClassifyContext, options: StatusClassificationOptions = {}): Classification {
  const { status } = response;
  if (status >= 200 && status < 300) return delivered(options.externalId ?? null);
  const code = statusCode(status);
  const reason = options.reason ?? excerpt(response.body);
  return failure(code, reason === '' ? `HTTP ${status}` : `HTTP ${status}: ${reason}`, {
    httpStatus: status,
    retryAfterMs: retryAfterOf(response, ctx),
    externalId: options.externalId ?? null,
    retryIndividually: code === 'invalid_payload' && options.batchOfSeveral === true,
  });
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ENODATA']);
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_NOT_YET_VALID',
]);

function networkCode(code: string | undefined, name: string | undefined): DeliveryErrorCode | null {
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
  if (code === undefined) return null;
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (RESET_CODES.has(code)) return 'connection_reset';
  if (DNS_CODES.has(code)) return 'dns_failed';
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return 'tls_failed';
  return null;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Classifies what the HTTP client threw. `fetch` wraps the socket error as `TypeError: fetch
 * failed` with the real one in `cause`, so the cause chain is walked. A refused SSRF check
 * (`assertPublicTarget`) is a broken destination, not a network blip.
 */
export function classifyNetworkError(error: unknown): Classification {
  if (netErrors.is(error)) {
    if (error.code === 'dns_lookup_failed' || error.code === 'host_not_found') return failure('dns_failed', error.message);
    return failure('target_blocked', error.message);
  }
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    const code = networkCode(asString(field(current, 'code')), asString(field(current, 'name')));
    if (code !== null) return failure(code, describe(current));
    current = field(current, 'cause');
  }
  return failure('network_error', describe(error));
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = asString(field(error, 'code'));
    return code === undefined ? `${error.name}: ${error.message}` : `[${code}] ${error.message}`;
  }
  return String(error);
}
