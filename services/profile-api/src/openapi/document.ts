/**
 * The profile API's OpenAPI 3.1 document, served at GET /openapi.json. Paths come from the route
 * table (routes/index.ts) and error responses from the error registry (http/errors.ts), so a new
 * endpoint or code appears here by construction; a test checks that the document's paths and the
 * express app's routes are the same set.
 */
import { API_ERROR_CODES, profileApiErrors, statusOf, type ApiErrorCode } from '../http/errors';
import { MAX_REQUEST_ID_LENGTH } from '../http/request-id';
import { PROFILE_ROUTES } from '../routes';
import { JSON_TYPE, schemaRef } from './refs';
import { componentSchemas } from './schemas';
import type { HttpMethod, JsonSchema, OpenApiDocument, PathItemObject, ResponseObject } from './types';

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  413: 'ContentTooLarge',
  415: 'UnsupportedMediaType',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** Error codes answered with each status, in registry order. */
function codesByStatus(): Map<number, ApiErrorCode[]> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of API_ERROR_CODES) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  return byStatus;
}

function errorHeaders(status: number): Record<string, { $ref: string }> {
  const headers: Record<string, { $ref: string }> = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
  if (status === 401) headers['WWW-Authenticate'] = { $ref: '#/components/headers/WWW-Authenticate' };
  if (status === 503) headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
  if (status === 405) headers['Allow'] = { $ref: '#/components/headers/Allow' };
  return headers;
}

function errorResponses(): Record<string, ResponseObject> {
  const responses: Record<string, ResponseObject> = {};
  for (const [status, codes] of codesByStatus()) {
    const lines = codes.map((code) => `- \`${code}\`: ${profileApiErrors.codes[code].description}`);
    responses[STATUS_NAMES[status] ?? `Status${status}`] = {
      description: `Codes:\n${lines.join('\n')}`,
      headers: errorHeaders(status),
      content: { [JSON_TYPE]: { schema: { allOf: [schemaRef('Error'), { properties: { code: { enum: codes } } }] } } },
    };
  }
  return responses;
}

const errorSchema: JsonSchema = {
  type: 'object',
  description: 'Every error answer. Fields beyond code, message and requestId appear when they apply.',
  properties: {
    code: { type: 'string', enum: API_ERROR_CODES, description: 'Stable machine code; see docs/profile-api.md.' },
    message: { type: 'string', description: 'What was wrong, for people.' },
    requestId: { type: 'string', description: 'The X-Request-Id of the request.' },
    field: { type: 'string', description: 'The offending parameter or body field, e.g. limit, identifier, consents[2].status.' },
    reason: { type: 'string', description: 'What is wrong with the field.' },
    limit: { type: 'integer', description: 'body_too_large: the limit in bytes.' },
    size: { type: 'integer', description: 'body_too_large: the body size in bytes (at least).' },
    retryAfterSeconds: { type: 'number', description: 'As the Retry-After header (503).' },
    allow: { type: 'array', items: { type: 'string' }, description: '405: the methods the path takes.' },
    problems: { type: 'array', items: { type: 'string' }, description: 'invalid_destination: every problem the type check found, `path: problem` (never a credential value).' },
  },
  required: ['code', 'message', 'requestId'],
};

function routePaths(): Record<string, PathItemObject> {
  const paths: Record<string, PathItemObject> = {};
  for (const route of PROFILE_ROUTES) {
    const item: PathItemObject = { ...paths[route.path] };
    item[route.method.toLowerCase() as HttpMethod] = route.operation;
    paths[route.path] = item;
  }
  return paths;
}

function opsOperation(operationId: string, summary: string, responses: Record<string, ResponseObject>): PathItemObject {
  return { get: { operationId, summary, tags: ['operations'], security: [{}], responses } };
}

/** The document; `version` is the service version. */
export function openApiDocument(version: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Stratum profile API',
      version,
      description: [
        "A tenant's profiles (the golden record, identifiers, consents, the event timeline and the identity history) and its destinations (where its events are delivered).",
        'Authenticate with the tenant admin key: `Authorization: Bearer sk_…` (or HTTP Basic with the key as user name and an empty password).',
        "The key decides the tenant. Another tenant's profile id answers 404 `profile_not_found`, and another tenant's destination 404 `destination_not_found`, exactly like an unknown one.",
        'Destination credentials are write-only: encrypted before they are stored, never answered or logged.',
        'An unknown path answers 404 `not_found`; a known path with another method 405 `method_not_allowed` with `Allow`.',
        'Timestamps are ISO-8601 UTC. See docs/profile-api.md.',
      ].join('\n\n'),
    },
    tags: [
      { name: 'profiles', description: 'Profiles, their timeline, identity history and consents.' },
      { name: 'reviews', description: 'The review queue: pairs identity resolution left to a person (fuzzy matches, held-back links, stopped merges), and their decisions.' },
      { name: 'destinations', description: 'Where the tenant\'s events are delivered: webhooks and ad, analytics, SMS and CRM platforms.' },
      { name: 'operations', description: 'Health, readiness, metrics and this document.' },
    ],
    paths: {
      ...routePaths(),
      '/healthz': opsOperation('healthz', 'Liveness: 200 while the process is alive', { '200': { description: 'Alive.', content: { [JSON_TYPE]: { schema: schemaRef('Health') } } } }),
      '/readyz': opsOperation('readyz', 'Readiness: PostgreSQL answers', {
        '200': { description: 'Ready.', content: { [JSON_TYPE]: { schema: schemaRef('Readiness') } } },
        '503': { description: 'Not ready; `checks` says which dependency failed.', content: { [JSON_TYPE]: { schema: schemaRef('Readiness') } } },
      }),
      '/metrics': opsOperation('metrics', 'Prometheus metrics', { '200': { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } }),
      '/openapi.json': opsOperation('openapi', 'This document', { '200': { description: 'OpenAPI 3.1.', content: { [JSON_TYPE]: { schema: { type: 'object' } } } } }),
    },
    components: {
      schemas: { ...componentSchemas(), Error: errorSchema },
      responses: errorResponses(),
      parameters: {
        'X-Request-Id': {
          name: 'X-Request-Id',
          in: 'header',
          description: `Your id for the request (letters, digits, ._:-, at most ${MAX_REQUEST_ID_LENGTH}); echoed and kept in logs. Any other value is replaced by a new UUID.`,
          schema: { type: 'string', pattern: `^[A-Za-z0-9._:-]{1,${MAX_REQUEST_ID_LENGTH}}$` },
        },
      },
      headers: {
        'X-Request-Id': { description: 'The request id: yours when it was sane, else a new one.', schema: { type: 'string' } },
        'Retry-After': { description: 'Seconds to wait before retrying (integer, at least 1).', schema: { type: 'integer', minimum: 1 } },
        'WWW-Authenticate': { description: 'Bearer realm="Stratum"', schema: { type: 'string' } },
        Allow: { description: 'Methods the path takes.', schema: { type: 'string' } },
        'Content-Location': { description: "The URL of the profile answered: the survivor's, when a merged id was asked for.", schema: { type: 'string' } },
        Location: { description: 'The URL of the destination created.', schema: { type: 'string' } },
      },
      securitySchemes: {
        adminKey: { type: 'http', scheme: 'bearer', description: 'The tenant admin key (`sk_…`) as a bearer token.' },
        adminKeyBasic: { type: 'http', scheme: 'basic', description: 'The tenant admin key as the HTTP Basic user name, empty password (as Segment-style clients send keys).' },
      },
    },
  };
}
