/**
 * The Measurement Protocol validation server (developers.google.com/analytics/devguides/collection/
 * protocol/ga4/validating-events). /mp/collect answers 2xx even for events GA4 then drops, so the
 * service sends 1 in N requests to /debug/mp/collect as well; the answer lists what GA4 would not
 * process:
 *
 *   { "validationMessages": [ { "fieldPath": "events", "description": "...", "validationCode": "NAME_INVALID" } ] }
 *
 * An empty list means valid. The validation server does not check api_secret or measurement_id.
 */
import { classifyHttpStatus, classifyNetworkError } from '../classify-http';
import { delivered, failure } from '../delivery-codes';
import { isJsonObject, parseObject } from '../event-fields';
import type { Classification, ClassifyContext, HttpRequest, HttpResult } from '../types';

export interface Ga4ValidationMessage {
  readonly fieldPath: string;
  readonly description: string;
  /** e.g. NAME_INVALID, NAME_RESERVED, VALUE_INVALID, VALUE_REQUIRED, VALUE_OUT_OF_BOUNDS, EXCEEDED_MAX_ENTITIES. */
  readonly validationCode: string;
}

/**
 * The same request aimed at the validation server. `strict` adds validation_behavior
 * ENFORCE_RECOMMENDATIONS (also flags what GA4 accepts but advises against); the default reports
 * only what GA4 would not process, which is what a silent-drop alarm wants.
 */
export function ga4ValidationRequest(request: HttpRequest, strict = false): HttpRequest {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/\/mp\/collect$/, '/debug/mp/collect');
  const body = strict && request.body !== null ? JSON.stringify({ ...parseObject(request.body), validation_behavior: 'ENFORCE_RECOMMENDATIONS' }) : request.body;
  return { ...request, url: url.toString(), body };
}

/** The messages of a validation answer, or null when the body is not one. */
export function parseGa4ValidationMessages(body: string): Ga4ValidationMessage[] | null {
  const parsed = parseObject(body);
  const list = parsed.validationMessages;
  if (!Array.isArray(list)) return null;
  return list.filter(isJsonObject).map((m) => ({
    fieldPath: typeof m.fieldPath === 'string' ? m.fieldPath : '',
    description: typeof m.description === 'string' ? m.description : '',
    validationCode: typeof m.validationCode === 'string' ? m.validationCode : 'UNKNOWN',
  }));
}

/**
 * What the validation server says about the sampled request: delivered when it found nothing,
 * invalid (the events were silently dropped by /mp/collect) with every message otherwise.
 */
export function classifyGa4Validation(result: HttpResult, ctx: ClassifyContext): Classification {
  if ('networkError' in result) return classifyNetworkError(result.networkError);
  const { response } = result;
  if (response.status < 200 || response.status >= 300) return classifyHttpStatus(response, ctx);
  const messages = parseGa4ValidationMessages(response.body);
  if (messages === null) return failure('platform_rejected', 'the GA4 validation server answered without validationMessages', { httpStatus: response.status });
  if (messages.length === 0) return delivered(null);
  const text = messages.map((m) => `${m.validationCode} at ${m.fieldPath || '(request)'}: ${m.description}`).join('; ');
  return failure('invalid_payload', `GA4 would not process these events: ${text}`, { httpStatus: response.status });
}
