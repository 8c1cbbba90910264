/**
 * The `{id}` of /v1/destinations/{id}: a destination id (`dst_…`) or its name, in any case, as
 * the store looks them up. Both are at most 63 of `A-Z a-z 0-9 space . _ -`, so anything else is
 * not found without a query (a NUL in a path would otherwise be a PostgreSQL error). The 404 says
 * the same whether the destination is unknown or another tenant's.
 */
import { apiError, type ApiError } from '../http/errors';
import type { ParameterObject } from '../openapi/types';

const POSSIBLE_REFERENCE = /^[A-Za-z0-9 ._-]{1,63}$/;

/** Whether `text` could name a destination at all. */
export function isPossibleDestination(text: string): boolean {
  return POSSIBLE_REFERENCE.test(text);
}

/** 404 destination_not_found: never 403, and the same words for an unknown destination and another tenant's. */
export function destinationNotFound(destination: string): ApiError {
  return apiError('destination_not_found', `destination ${JSON.stringify(destination.slice(0, 128))} not found`);
}

export const DESTINATION_ID_PARAMETER: ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: "A destination id (`dst_…`) or its name (any case; percent-encode spaces). Another tenant's destination is 404, like an unknown one.",
  schema: { type: 'string', minLength: 1, maxLength: 63 },
};
