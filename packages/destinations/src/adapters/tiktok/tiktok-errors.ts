/**
 * TikTok Business API answers: HTTP 200 for most outcomes, the verdict in the body
 * (business-api.tiktok.com/portal/docs, "Return codes"):
 *
 *   { "code": 0, "message": "OK", "request_id": "...", "data": {} }
 *
 *   0       OK                          20001  partial success (some events not accepted)
 *   40001   no permission               40002  invalid parameter (our data)
 *   40100   too many requests           40102/40104/40105  access token expired, missing or invalid
 *   40700, 5xxxx  TikTok-side errors, retry
 */
import { classifyHttpStatus, retryAfterOf } from '../classify-http';
import { delivered, failure, type DeliveryErrorCode } from '../delivery-codes';
import { numberAt, parseObject, stringAt } from '../event-fields';
import type { Classification, ClassifyContext, HttpResponse } from '../types';

const AUTH_CODES = new Set([40102, 40104, 40105]);

function tiktokCode(code: number): DeliveryErrorCode {
  if (code === 40100) return 'rate_limited';
  if (AUTH_CODES.has(code)) return 'auth_failed';
  if (code === 40001) return 'permission_denied';
  if (code === 40002) return 'invalid_payload';
  if (code === 40700 || (code >= 50000 && code < 60000)) return 'platform_unavailable';
  return 'platform_rejected';
}

/** Classifies an Events API answer for a request of `eventCount` events. */
export function classifyTikTokResponse(response: HttpResponse, ctx: ClassifyContext, eventCount: number): Classification {
  const body = parseObject(response.body);
  const code = numberAt(body, 'code');
  const requestId = stringAt(body, 'request_id');
  const message = stringAt(body, 'message') ?? 'no message';
  // No TikTok verdict in the body (a proxy's error page, an empty 5xx): the HTTP status decides.
  if (code === null || response.status < 200 || response.status >= 300) {
    return classifyHttpStatus(response, ctx, { externalId: requestId, reason: code === null ? null : `TikTok code ${code}: ${message}`, batchOfSeveral: eventCount > 1 });
  }
  if (code === 0) return delivered(requestId);
  if (code === 20001) return delivered(requestId, `TikTok partial success: ${message}`);
  const mapped = tiktokCode(code);
  return failure(mapped, `TikTok code ${code}: ${message}`, {
    httpStatus: response.status,
    retryAfterMs: retryAfterOf(response, ctx),
    externalId: requestId,
    retryIndividually: mapped === 'invalid_payload' && eventCount > 1,
  });
}
