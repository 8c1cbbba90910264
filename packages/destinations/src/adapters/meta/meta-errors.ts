/**
 * Meta Graph API error bodies (developers.facebook.com/docs/graph-api/guides/error-handling):
 *
 *   { "error": { "message", "type", "code", "error_subcode", "error_user_msg", "is_transient", "fbtrace_id" } }
 *
 * Recovery by code, per that page and the rate-limiting guide: 1, 2 (and is_transient) temporary —
 * retry; 4, 17, 32, 341, 613 throttling — retry later; 190 (and 102) the token expired or was
 * revoked — a person must renew it; 10 and 200-299 a missing permission; 100 an invalid parameter
 * (our data). Anything else falls back to the HTTP status.
 */
import { classifyHttpStatus, retryAfterOf } from '../classify-http';
import { delivered, failure, type DeliveryErrorCode } from '../delivery-codes';
import { isJsonObject, numberAt, parseObject, stringAt } from '../event-fields';
import type { Classification, ClassifyContext, HttpResponse } from '../types';

const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613]);
const TRANSIENT_CODES = new Set([1, 2, 368]);

function metaCode(code: number, isTransient: boolean): DeliveryErrorCode | null {
  if (code === 190 || code === 102) return 'auth_failed';
  if (code === 10 || (code >= 200 && code <= 299)) return 'permission_denied';
  if (RATE_LIMIT_CODES.has(code)) return 'rate_limited';
  if (TRANSIENT_CODES.has(code) || isTransient) return 'platform_unavailable';
  if (code === 100) return 'invalid_payload';
  return null;
}

/** Classifies a Conversions API answer for a request of `eventCount` events. */
export function classifyMetaResponse(response: HttpResponse, ctx: ClassifyContext, eventCount: number): Classification {
  const body = parseObject(response.body);
  const traceId = stringAt(body, 'fbtrace_id') ?? stringAt(body, 'error.fbtrace_id');
  if (response.status >= 200 && response.status < 300) {
    const received = numberAt(body, 'events_received');
    const note = received !== null && received !== eventCount ? `Meta counted ${received} of ${eventCount} events` : null;
    return delivered(traceId, note);
  }
  const code = numberAt(body, 'error.code');
  if (code === null) return classifyHttpStatus(response, ctx, { externalId: traceId, batchOfSeveral: eventCount > 1 });
  const subcode = numberAt(body, 'error.error_subcode');
  const message = stringAt(body, 'error.error_user_msg', 'error.message') ?? 'no message';
  const reason = `Meta error ${code}${subcode === null ? '' : `/${subcode}`}: ${message}`;
  const mapped = metaCode(code, isJsonObject(body.error) && body.error.is_transient === true);
  if (mapped === null) return classifyHttpStatus(response, ctx, { reason, externalId: traceId, batchOfSeveral: eventCount > 1 });
  return failure(mapped, reason, {
    httpStatus: response.status,
    retryAfterMs: retryAfterOf(response, ctx),
    externalId: traceId,
    retryIndividually: mapped === 'invalid_payload' && eventCount > 1,
  });
}
