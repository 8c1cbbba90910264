/**
 * POST /v1/destinations: adds a destination to the tenant — the same store call, checks and
 * encryption as `stratum destination create`, plus the type's own settings check. Credentials
 * are sealed (AES-256-GCM, bound to the new row) before they reach PostgreSQL; the answer says
 * only whether there are any and under which key.
 */
import { createDestination } from '@stratum/destinations';
import { parseCreateBody } from '../destinations/destination-body';
import { destinationView } from '../destinations/destination-view';
import { refusing, STORE_OPTIONS } from '../destinations/refusals';
import { ApiError } from '../http/errors';
import { readJsonBody } from '../http/read-json';
import { ADMIN_KEY_SECURITY, BODY_ERRORS, COMMON_ERRORS, ERROR_RESPONSES, JSON_TYPE, okResponse, REQUEST_ID_PARAMETER, schemaRef } from '../openapi/refs';
import type { ProfileRoute } from './route';

export const createDestinationRoute: ProfileRoute = {
  method: 'POST',
  path: '/v1/destinations',
  operation: {
    operationId: 'createDestination',
    summary: 'Add a destination; answers it (without credentials)',
    description: [
      'Name and type are required. Settings are checked by the type\'s adapter (a webhook needs `settings.url` and `credentials.secrets`, GA4 a measurement id and an API secret…): every problem is listed in one 400 `invalid_destination`.',
      'Credentials are encrypted before they are stored and are never answered; storing them needs `STRATUM_CREDENTIALS_KEYS` on the service (503 `credentials_unavailable` otherwise).',
      '`Location` names the new destination.',
    ].join(' '),
    tags: ['destinations'],
    security: ADMIN_KEY_SECURITY,
    parameters: [REQUEST_ID_PARAMETER],
    requestBody: { required: true, content: { [JSON_TYPE]: { schema: schemaRef('NewDestination') } } },
    responses: {
      '201': okResponse('The destination created.', 'Destination', { Location: { $ref: '#/components/headers/Location' } }),
      '409': ERROR_RESPONSES[409],
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  },
  async handle({ tenantId, req }, { db, keyring, maxBodyBytes }) {
    const body = await readJsonBody(req, maxBodyBytes, { mayHoldSecrets: true });
    if (body instanceof ApiError) return body;
    const input = parseCreateBody(body.json);
    if (input instanceof ApiError) return input;
    const created = await refusing(null, () => createDestination(db, keyring, tenantId, input, STORE_OPTIONS));
    if (created instanceof ApiError) return created;
    return { status: 201, body: destinationView(created), headers: { location: `/v1/destinations/${created.destinationId}` } };
  },
};
