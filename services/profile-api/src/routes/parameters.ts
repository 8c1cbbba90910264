/**
 * What several endpoints share: the 404 for a profile that is not the caller's (the same answer
 * for an unknown id and another tenant's: nothing tells them apart), the page-size and cursor
 * parameters, and their OpenAPI descriptions (so the parser and the document say the same).
 */
import { apiError, invalid, type ApiError } from '../http/errors';
import { decodeCursor, type Cursor } from '../profiles/cursor';
import type { ParameterObject } from '../openapi/types';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** 404 profile_not_found: never 403, and the same words whether the id is unknown or another tenant's. */
export function profileNotFound(id: string): ApiError {
  return apiError('profile_not_found', `profile ${JSON.stringify(id.slice(0, 128))} not found`);
}

/** `limit`: 1–MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE. */
export function pageSize(query: ReadonlyMap<string, string>): number | ApiError {
  const text = query.get('limit');
  if (text === undefined) return DEFAULT_PAGE_SIZE;
  const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_PAGE_SIZE)) return invalid('invalid_parameter', 'limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  return n;
}

/** `cursor`: absent (first page) or a `nextCursor` this API returned. */
export function pageCursor(query: ReadonlyMap<string, string>): Cursor | null | ApiError {
  const text = query.get('cursor');
  if (text === undefined) return null;
  return decodeCursor(text) ?? apiError('invalid_cursor', 'cursor is not one this API returned: pass nextCursor back as it came', { field: 'cursor' });
}

export const ID_PARAMETER: ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'A profile id (`prf_…`). An id merged into another profile answers for the profile that absorbed it. Another tenant\'s id is 404, like an unknown one.',
  schema: { type: 'string', minLength: 1, maxLength: 128 },
};

export const LIMIT_PARAMETER: ParameterObject = {
  name: 'limit',
  in: 'query',
  description: `Items per page, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
};

export const CURSOR_PARAMETER: ParameterObject = {
  name: 'cursor',
  in: 'query',
  description: 'The `nextCursor` of the previous page, as it came (opaque). Absent: the first (newest) page.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
};
