/**
 * Every answer the gateway gives other than 200, in one registry: code → HTTP status, whether a
 * retry of the same request can succeed, and what it means. The OpenAPI document and
 * docs/gateway.md enumerate these codes, and a test fails when one is missing from either.
 *
 * A refusal is a value, not an exception: bad requests are the gateway's daily bread, and
 * building a stack trace for each would cost more than the check that found it.
 */
import { defineErrorCodes } from '@stratum/errors';

export const gatewayErrors = defineErrorCodes({
  invalid_json: { status: 400, retriable: false, description: 'The body is not valid JSON; `position` is the byte-offset V8 reported, when it reported one.' },
  invalid_body: { status: 400, retriable: false, description: 'The body is valid JSON but not the expected shape (not an object, `batch` not an array, ...); `field` names the part.' },
  empty_batch: { status: 400, retriable: false, description: 'A batch with no events.' },
  invalid_event: { status: 400, retriable: false, description: 'A batch item is not a JSON object; `index` names it.' },
  invalid_type: { status: 400, retriable: false, description: 'A batch item has no `type`, or not one of track, identify, page, screen, group, alias.' },
  type_mismatch: { status: 400, retriable: false, description: "A single-event route got a body whose `type` names another call (e.g. `type: \"identify\"` on /v1/track)." },
  missing_identity: { status: 400, retriable: false, description: 'Neither `userId` nor `anonymousId` is a non-empty string or a finite number.' },
  missing_event_name: { status: 400, retriable: false, description: 'A track call without an `event` name.' },
  missing_previous_id: { status: 400, retriable: false, description: 'An alias call without `previousId`.' },
  missing_group_id: { status: 400, retriable: false, description: 'A group call without `groupId`.' },
  invalid_field: { status: 400, retriable: false, description: 'A field has a JSON type its schema cannot carry (`field` and `expected` say which and what).' },
  nesting_too_deep: { status: 400, retriable: false, description: 'An event nests objects/arrays too deeply to be serialised.' },
  invalid_compression: { status: 400, retriable: false, description: 'The body is not valid data for its Content-Encoding (truncated or corrupt).' },
  invalid_webhook: {
    status: 400,
    retriable: false,
    description: 'A Twilio webhook that is not form-encoded, lacks a parameter Twilio always sends, or has one Twilio would not send (`field` names it).',
  },
  missing_write_key: { status: 401, retriable: false, description: 'No write key: send it as the HTTP Basic user name (empty password) or as `writeKey` in the body.' },
  invalid_write_key: { status: 401, retriable: false, description: 'The write key is unknown, revoked, or its source is disabled.' },
  invalid_signature: {
    status: 403,
    retriable: false,
    description: "X-Twilio-Signature is missing, or is not the signature of this URL and body under the auth token of any of the tenant's twilio_sms destinations of the request's AccountSid.",
  },
  not_found: { status: 404, retriable: false, description: 'No such endpoint.' },
  unknown_tenant: { status: 404, retriable: false, description: 'The tenant in a webhook URL does not exist or has no twilio_sms destination.' },
  method_not_allowed: { status: 405, retriable: false, description: 'The endpoint exists but not for this method; `Allow` lists the ones it takes.' },
  batch_too_large: { status: 413, retriable: false, description: 'The request body (after decompression) is over the byte limit; `limit` and `size` in bytes.' },
  event_too_large: { status: 413, retriable: false, description: "One event's JSON is over the per-event byte limit; `index`, `limit` and `size` in bytes." },
  too_many_events: { status: 413, retriable: false, description: 'A batch has more events than the limit; `limit` and `size` are counts.' },
  unsupported_encoding: { status: 415, retriable: false, description: 'Content-Encoding is not one of gzip, deflate, br, identity.' },
  rate_limited: { status: 429, retriable: true, description: "The write key's event rate is over its limit; retry after `Retry-After` seconds." },
  internal_error: { status: 500, retriable: true, description: 'A bug or an unexpected failure; nothing of the request was reported accepted, retrying is safe.' },
  kafka_unavailable: { status: 503, retriable: true, description: 'Kafka did not acknowledge the events in time; nothing was accepted, retry after `Retry-After` seconds.' },
  directory_unavailable: { status: 503, retriable: true, description: 'The write key could not be checked (PostgreSQL unreachable); retry after `Retry-After` seconds.' },
  webhooks_unavailable: {
    status: 503,
    retriable: true,
    description: 'A Twilio webhook could not be checked or recorded: no credential keys are configured (STRATUM_CREDENTIALS_KEYS), PostgreSQL is unreachable, or the credentials could not be decrypted.',
  },
});

export type GatewayErrorCode = keyof typeof gatewayErrors.codes;

/** Every error code, in registry order (OpenAPI enum, docs). */
export const GATEWAY_ERROR_CODES = Object.keys(gatewayErrors.codes) as GatewayErrorCode[];

/** The HTTP status of an error code. */
export function statusOf(code: GatewayErrorCode): number {
  return gatewayErrors.codes[code].status;
}

/** Numbers and names that explain a refusal; they become fields of the JSON error body. */
export interface RefusalDetails {
  /** Batch item the refusal is about (batch routes only). */
  readonly index?: number;
  /** The offending field, e.g. `userId`, `context`, `batch`. */
  readonly field?: string;
  /** What the field should have been, e.g. `string or number`. */
  readonly expected?: string;
  readonly limit?: number;
  readonly size?: number;
  /** `size` is only what was read before reading stopped: the body is at least that big. */
  readonly sizeIsLowerBound?: boolean;
  readonly position?: number;
  readonly encoding?: string;
  readonly retryAfterSeconds?: number;
  readonly allow?: readonly string[];
}

/**
 * Why a request is refused: the body of the error answer, minus the request id. A class so that
 * `instanceof` tells it apart from parsed client JSON (a body may well contain `"code"`).
 */
export class Refusal {
  constructor(
    readonly code: GatewayErrorCode,
    readonly message: string,
    readonly details: RefusalDetails = {},
    /** What went wrong inside, for the log line only: never sent to the client. */
    readonly cause?: unknown,
  ) {}
}

export function refusal(code: GatewayErrorCode, message: string, details: RefusalDetails = {}, cause?: unknown): Refusal {
  return new Refusal(code, message, details, cause);
}
