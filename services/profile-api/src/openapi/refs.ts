/** Short-hands the route operations share: component references, security, error responses. */
import type { JsonSchema, OperationObject } from './types';

export const JSON_TYPE = 'application/json';

export const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** Either form of the admin key. */
export const ADMIN_KEY_SECURITY: NonNullable<OperationObject['security']> = [{ adminKey: [] }, { adminKeyBasic: [] }];

export const REQUEST_ID_PARAMETER = { $ref: '#/components/parameters/X-Request-Id' };

/** A 200 answer with a JSON body of `schema`. */
export function okResponse(description: string, schema: string, headers: Record<string, { $ref: string }> = {}) {
  return { description, headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' }, ...headers }, content: { [JSON_TYPE]: { schema: schemaRef(schema) } } };
}

/** Error responses by status, as components/responses names them (openapi/document.ts). */
export const ERROR_RESPONSES = {
  400: responseRef('BadRequest'),
  401: responseRef('Unauthorized'),
  404: responseRef('NotFound'),
  409: responseRef('Conflict'),
  413: responseRef('ContentTooLarge'),
  415: responseRef('UnsupportedMediaType'),
  500: responseRef('InternalError'),
  503: responseRef('ServiceUnavailable'),
} as const;

/** The error responses every authenticated endpoint can give. */
export const COMMON_ERRORS = { '401': ERROR_RESPONSES[401], '500': ERROR_RESPONSES[500], '503': ERROR_RESPONSES[503] } as const;

/** The error responses of every endpoint that reads a JSON body: malformed or refused (400), too large (413), not JSON (415). */
export const BODY_ERRORS = { '400': ERROR_RESPONSES[400], '413': ERROR_RESPONSES[413], '415': ERROR_RESPONSES[415] } as const;
