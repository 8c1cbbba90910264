/**
 * Every answer of the profile API other than 2xx, in one registry: code → HTTP status, whether a
 * retry of the same request can succeed, and what it means. The OpenAPI document and
 * docs/profile-api.md enumerate these codes, and a test fails when one is missing from either.
 *
 * A refusal is a value (ApiError), not an exception: handlers return it, and only failures of the
 * code or the database are thrown.
 */
import { defineErrorCodes } from '@stratum/errors';

export const profileApiErrors = defineErrorCodes({
  invalid_parameter: { status: 400, retriable: false, description: 'A query parameter is unknown, repeated, malformed or out of range (or the path is not valid percent-encoding); `field` names it and `reason` says what is wrong.' },
  invalid_identifier: {
    status: 400,
    retriable: false,
    description: 'The `identifier` query parameter is not `<type>:<value>` (or `<type>:<namespace>:<value>` for external_id and device_id), or the value cannot be an identifier of that type (`reason`).',
  },
  invalid_cursor: { status: 400, retriable: false, description: 'The `cursor` is not one this API returned (it is opaque: pass `nextCursor` back as it came).' },
  invalid_json: { status: 400, retriable: false, description: 'The body is not valid JSON.' },
  invalid_body: { status: 400, retriable: false, description: 'The body is valid JSON but not what the endpoint takes; `field` names the first offending part and `reason` says what is wrong.' },
  invalid_destination: {
    status: 400,
    retriable: false,
    description:
      'The destination is refused by the destination rules: a name that is not 1-63 letters, digits, space . _ - (or starts with dst_), settings that look like a secret or that its type does not accept, bad filters, credentials or delivery policy. `field` names the part (`settings.url`, `deliveryPolicy.maxAttempts`…), `reason` says what is wrong, and `problems` lists every problem the type check found.',
  },
  unknown_destination_type: { status: 400, retriable: false, description: 'The destination `type` is not one of webhook, meta_capi, ga4, tiktok, twilio_sms, pipedrive.' },
  unauthorized: { status: 401, retriable: false, description: 'No admin key, or one that is unknown, expired or revoked. Send `Authorization: Bearer sk_…` (or HTTP Basic with the key as user name).' },
  profile_not_found: { status: 404, retriable: false, description: 'No profile with this id in your tenant.' },
  destination_not_found: { status: 404, retriable: false, description: 'No destination with this id or name in your tenant.' },
  not_found: { status: 404, retriable: false, description: 'No such endpoint.' },
  identifier_not_on_profile: { status: 409, retriable: false, description: 'unmerge: the identifier named is not on this profile (it may belong to another one now).' },
  edge_not_found: { status: 409, retriable: false, description: 'unmerge: no active link between the two identifiers on this profile.' },
  review_not_found: { status: 404, retriable: false, description: 'No review entry with this id in your tenant.' },
  review_decided: { status: 409, retriable: false, description: 'The review entry was approved or rejected already; `GET /v1/reviews?status=approved` (or rejected) shows by whom.' },
  destination_name_taken: { status: 409, retriable: false, description: 'Your tenant already has a destination with this name (names are compared in any case).' },
  method_not_allowed: { status: 405, retriable: false, description: 'The endpoint exists but not for this method; `Allow` lists the ones it takes.' },
  body_too_large: { status: 413, retriable: false, description: 'The request body is over the limit; `limit` and `size` in bytes.' },
  unsupported_media_type: { status: 415, retriable: false, description: 'The body has a Content-Type other than JSON (or a Content-Encoding); send `application/json`.' },
  internal_error: { status: 500, retriable: true, description: 'A bug or an unexpected failure; nothing was changed that a retry would repeat wrongly (writes are one transaction).' },
  database_unavailable: { status: 503, retriable: true, description: 'PostgreSQL could not be reached (to check the key or to answer); retry after `Retry-After` seconds.' },
  // Not retriable: it lasts until an operator changes the service's configuration.
  credentials_unavailable: {
    status: 503,
    retriable: false,
    description:
      "Destination credentials cannot be sealed or opened by this service: it has no credential keys (the operator has not set `STRATUM_CREDENTIALS_KEYS`, which must hold the delivery services' keys), or stored credentials are under a key it does not have. Renaming, filters, delivery policy, enable and disable work without keys.",
  },
});

export type ApiErrorCode = keyof typeof profileApiErrors.codes;

/** Every error code, in registry order (OpenAPI enum, docs). */
export const API_ERROR_CODES = Object.keys(profileApiErrors.codes) as ApiErrorCode[];

/** The HTTP status of an error code. */
export function statusOf(code: ApiErrorCode): number {
  return profileApiErrors.codes[code].status;
}

/** Names and numbers that explain a refusal; they become fields of the JSON error body. */
export interface ApiErrorDetails {
  /** The offending parameter or body field, e.g. `limit`, `consents[2].status`. */
  readonly field?: string;
  /** What is wrong with it, e.g. `must be one of granted, denied, withdrawn`. */
  readonly reason?: string;
  readonly limit?: number;
  readonly size?: number;
  readonly retryAfterSeconds?: number;
  readonly allow?: readonly string[];
  /** invalid_destination: every problem the destination's type check found, `path: problem`. */
  readonly problems?: readonly string[];
}

/** Why a request is refused: the body of the error answer, minus the request id. */
export class ApiError {
  constructor(
    readonly code: ApiErrorCode,
    readonly message: string,
    readonly details: ApiErrorDetails = {},
    /** What went wrong inside, for the log line only: never sent to the client. */
    readonly cause?: unknown,
  ) {}
}

export function apiError(code: ApiErrorCode, message: string, details: ApiErrorDetails = {}, cause?: unknown): ApiError {
  return new ApiError(code, message, details, cause);
}

/** A validation refusal whose message is `field reason`, with both as fields too. */
export function invalid(code: 'invalid_parameter' | 'invalid_identifier' | 'invalid_body' | 'invalid_destination', field: string, reason: string): ApiError {
  return new ApiError(code, `${field} ${reason}`, { field, reason });
}
