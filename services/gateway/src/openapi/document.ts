/**
 * The gateway's OpenAPI 3.1 document, served at GET /openapi.json. Error responses are generated
 * from the error registry (http/errors.ts), so a new code appears here by construction; a test
 * checks that the document's paths and the express app's routes are the same set.
 */
import { GATEWAY_ERROR_CODES, gatewayErrors, statusOf, type GatewayErrorCode } from '../http/errors';
import { MAX_REQUEST_ID_LENGTH } from '../http/request-id';
import { SUPPORTED_ENCODINGS } from '../http/decompress';
import { EVENT_ROUTES, type EventRoute } from '../events/routes';
import { TWILIO_WEBHOOK_PATH } from '../http/twilio-webhook-handler';
import { eventSchemas, schemaName } from './event-schemas';
import { twilioWebhookForm, twilioWebhookOperation } from './twilio-webhook';
import type { JsonSchema, OpenApiDocument, OperationObject, PathItemObject, ResponseObject } from './types';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const JSON_TYPE = 'application/json';

/** Error codes answered with each status, in registry order. */
function codesByStatus(): Map<number, GatewayErrorCode[]> {
  const byStatus = new Map<number, GatewayErrorCode[]>();
  for (const code of GATEWAY_ERROR_CODES) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  413: 'ContentTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** Headers an error answer of this status carries besides X-Request-Id. */
function errorHeaders(status: number): Record<string, { $ref: string }> {
  const headers: Record<string, { $ref: string }> = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
  if (status === 401) headers['WWW-Authenticate'] = { $ref: '#/components/headers/WWW-Authenticate' };
  if (status === 429 || status === 503) headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
  if (status === 405) headers['Allow'] = { $ref: '#/components/headers/Allow' };
  return headers;
}

function errorResponses(): Record<string, ResponseObject> {
  const responses: Record<string, ResponseObject> = {};
  for (const [status, codes] of codesByStatus()) {
    const lines = codes.map((code) => `- \`${code}\`: ${gatewayErrors.codes[code].description}`);
    responses[STATUS_NAMES[status] ?? `Status${status}`] = {
      description: `Codes:\n${lines.join('\n')}`,
      headers: errorHeaders(status),
      content: { [JSON_TYPE]: { schema: { allOf: [ref('Error'), { properties: { code: { enum: codes } } }] } } },
    };
  }
  return responses;
}

const errorSchema: JsonSchema = {
  type: 'object',
  description: 'Every non-200 answer. Fields beyond code, message and requestId appear when they apply.',
  properties: {
    code: { type: 'string', enum: GATEWAY_ERROR_CODES, description: 'Stable machine code; see docs/gateway.md.' },
    message: { type: 'string', description: 'What was wrong, for people, with the numbers involved.' },
    requestId: { type: 'string', description: 'The X-Request-Id of the request.' },
    index: { type: 'integer', minimum: 0, description: 'The batch item the error is about (batch routes).' },
    field: { type: 'string', description: 'The offending field, e.g. userId, batch, context.' },
    expected: { type: 'string', description: 'What the field should have been.' },
    limit: { type: 'integer', description: 'The limit that was exceeded: bytes (batch_too_large, event_too_large), events (too_many_events) or events per second (rate_limited).' },
    size: { type: 'integer', description: 'The actual size, in the unit of limit.' },
    sizeIsLowerBound: { type: 'boolean', description: 'True when reading stopped at the limit: the body is at least size bytes.' },
    position: { type: 'integer', description: 'invalid_json: where the parser stopped, when it said.' },
    encoding: { type: 'string', description: 'The Content-Encoding refused or that failed to decode.' },
    retryAfterSeconds: { type: 'number', description: 'As the Retry-After header (429, 503).' },
    allow: { type: 'array', items: { type: 'string' }, description: '405: the methods the path takes.' },
  },
  required: ['code', 'message', 'requestId'],
};

function eventOperation(route: EventRoute): OperationObject {
  const isBatch = route.kind === 'batch';
  const name = route.path.slice('/v1/'.length);
  const body = isBatch ? ref('BatchRequest') : ref(schemaName(route.type));
  const description = isBatch
    ? `${name === 'import' ? 'Historical events (Segment\'s /v1/import); same body and rules as /v1/batch. ' : ''}Accepted or refused whole: an error names the first bad event by index.`
    : `One ${route.type} call. A \`type\` in the body must be "${route.type}" or absent.`;
  return {
    operationId: name,
    summary: isBatch ? `Send a batch of events (${name})` : `Send a ${route.type} call`,
    description: `${description} 200 means every event was acknowledged by Kafka; nothing answered 200 is lost.`,
    tags: ['tracking'],
    security: [{ writeKey: [] }, {}],
    parameters: [{ $ref: '#/components/parameters/X-Request-Id' }, { $ref: '#/components/parameters/Content-Encoding' }],
    requestBody: { required: true, content: { [JSON_TYPE]: { schema: body } } },
    responses: {
      '200': { description: 'Every event was written to Kafka (acks=all).', headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } }, content: { [JSON_TYPE]: { schema: ref('Success') } } },
      '400': { $ref: '#/components/responses/BadRequest' },
      '401': { $ref: '#/components/responses/Unauthorized' },
      '413': { $ref: '#/components/responses/ContentTooLarge' },
      '415': { $ref: '#/components/responses/UnsupportedMediaType' },
      '429': { $ref: '#/components/responses/TooManyRequests' },
      '500': { $ref: '#/components/responses/InternalError' },
      '503': { $ref: '#/components/responses/ServiceUnavailable' },
    },
  };
}

function opsOperation(operationId: string, summary: string, responses: Record<string, ResponseObject>): PathItemObject {
  return { get: { operationId, summary, tags: ['operations'], security: [{}], responses } };
}

function eventPaths(): Record<string, PathItemObject> {
  return Object.fromEntries(EVENT_ROUTES.map((route) => [route.path, { post: eventOperation(route) }]));
}

/** The document; `version` is the service version. */
export function openApiDocument(version: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Stratum gateway',
      version,
      description: [
        'Segment-compatible HTTP tracking API: point a Segment or RudderStack SDK at this host.',
        'Authenticate with the source write key as the HTTP Basic user name (empty password) or as `writeKey` in the body.',
        `Bodies may be compressed (Content-Encoding: ${SUPPORTED_ENCODINGS.join(', ')}).`,
        "Twilio's status callbacks and incoming messages for a tenant's twilio_sms destinations go to `POST /v1/webhooks/twilio/{tenantId}`, signed with X-Twilio-Signature.",
        'An unknown path answers 404 `not_found`; a known path with another method answers 405 `method_not_allowed` with `Allow`.',
        'See docs/gateway.md for limits, error codes and retry semantics.',
      ].join('\n\n'),
    },
    tags: [
      { name: 'tracking', description: 'The Segment tracking API.' },
      { name: 'webhooks', description: 'Callbacks from messaging platforms (Twilio), signed by the platform.' },
      { name: 'operations', description: 'Health, readiness, metrics and this document.' },
    ],
    paths: {
      ...eventPaths(),
      [TWILIO_WEBHOOK_PATH]: { post: twilioWebhookOperation() },
      '/healthz': opsOperation('healthz', 'Liveness: 200 while the process is alive', {
        '200': { description: 'Alive.', content: { [JSON_TYPE]: { schema: ref('Health') } } },
      }),
      '/readyz': opsOperation('readyz', 'Readiness: the publisher is connected and the tenancy directory reachable', {
        '200': { description: 'Ready.', content: { [JSON_TYPE]: { schema: ref('Readiness') } } },
        '503': { description: 'Not ready; `checks` says which dependency failed.', content: { [JSON_TYPE]: { schema: ref('Readiness') } } },
      }),
      '/metrics': opsOperation('metrics', 'Prometheus metrics', {
        '200': { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } },
      }),
      '/openapi.json': opsOperation('openapi', 'This document', {
        '200': { description: 'OpenAPI 3.1.', content: { [JSON_TYPE]: { schema: { type: 'object' } } } },
      }),
    },
    components: {
      schemas: {
        ...eventSchemas(),
        Success: { type: 'object', properties: { success: { type: 'boolean', const: true } }, required: ['success'] },
        Error: errorSchema,
        TwilioWebhookForm: twilioWebhookForm,
        Health: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] },
        Readiness: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['ready', 'not_ready'] },
            checks: {
              type: 'object',
              additionalProperties: { type: 'object', properties: { ok: { type: 'boolean' }, error: { type: 'string' } }, required: ['ok'] },
            },
          },
          required: ['status', 'checks'],
        },
      },
      responses: errorResponses(),
      parameters: {
        'X-Request-Id': {
          name: 'X-Request-Id',
          in: 'header',
          description: `Your id for the request (letters, digits, ._:-, at most ${MAX_REQUEST_ID_LENGTH}); kept in logs and on every event. Any other value is replaced by a new UUID.`,
          schema: { type: 'string', pattern: `^[A-Za-z0-9._:-]{1,${MAX_REQUEST_ID_LENGTH}}$` },
        },
        'Content-Encoding': {
          name: 'Content-Encoding',
          in: 'header',
          description: 'Compression of the body; the size limits apply to the decompressed bytes too.',
          schema: { type: 'string', enum: SUPPORTED_ENCODINGS },
        },
      },
      headers: {
        'X-Request-Id': { description: 'The request id: yours when it was sane, else the one the gateway made.', schema: { type: 'string' } },
        'Retry-After': { description: 'Seconds to wait before retrying (integer, at least 1).', schema: { type: 'integer', minimum: 1 } },
        'WWW-Authenticate': { description: 'Basic realm="Stratum"', schema: { type: 'string' } },
        Allow: { description: 'Methods the path takes.', schema: { type: 'string' } },
      },
      securitySchemes: {
        writeKey: { type: 'http', scheme: 'basic', description: 'The source write key as the user name, empty password. Alternatively `writeKey` in the JSON body.' },
        twilioSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Twilio-Signature',
          description: "Twilio's request signature: base64 HMAC-SHA1, keyed with the account's auth token, of the URL followed by every form parameter name and value sorted by name.",
        },
      },
    },
  };
}
