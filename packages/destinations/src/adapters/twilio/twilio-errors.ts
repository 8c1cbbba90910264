/**
 * Twilio REST error bodies (twilio.com/docs/api/errors):
 *
 *   { "code": 21211, "message": "The 'To' number ... is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400 }
 *
 *   21610  unsubscribed recipient (replied STOP)  → opted_out, never retried
 *   21211  invalid 'To' number, 21614 not SMS-capable, 21612 unreachable from this sender → invalid_recipient
 *   20003  authentication failed                  → auth_failed
 *   20429  too many requests (and HTTP 429)        → retry
 *   21408  sending to this region not enabled, 21606 'From' cannot send SMS → permission_denied
 *   5xx                                            → retry
 */
import { classifyHttpStatus, retryAfterOf } from '../classify-http';
import { delivered, failure, type DeliveryErrorCode } from '../delivery-codes';
import { numberAt, parseObject, stringAt } from '../event-fields';
import type { Classification, ClassifyContext, HttpResponse } from '../types';

const CODES: ReadonlyMap<number, DeliveryErrorCode> = new Map<number, DeliveryErrorCode>([
  [21610, 'opted_out'],
  [21211, 'invalid_recipient'],
  [21614, 'invalid_recipient'],
  [21612, 'invalid_recipient'],
  [20003, 'auth_failed'],
  [20429, 'rate_limited'],
  [21408, 'permission_denied'],
  [21606, 'permission_denied'],
]);

/** Classifies a Create Message answer; the message SID is the external id. */
export function classifyTwilioResponse(response: HttpResponse, ctx: ClassifyContext): Classification {
  const body = parseObject(response.body);
  if (response.status >= 200 && response.status < 300) return delivered(stringAt(body, 'sid'));
  const code = numberAt(body, 'code');
  const reason = code === null ? null : `Twilio ${code}: ${stringAt(body, 'message') ?? 'no message'}`;
  const mapped = code === null ? undefined : CODES.get(code);
  if (mapped === undefined) return classifyHttpStatus(response, ctx, { reason });
  return failure(mapped, reason!, { httpStatus: response.status, retryAfterMs: retryAfterOf(response, ctx) });
}
