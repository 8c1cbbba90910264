/**
 * PATCH /v1/destinations/{id}: changes any of name, settings, filters, credentials (null removes
 * them) and delivery policy; absent fields stay, given ones are replaced whole. New settings or
 * credentials are checked by the type's adapter together with the other half — the stored
 * credentials are decrypted for that check, inside the store, and go nowhere else.
 */
import { updateDestination } from '@stratum/destinations';
import { parseUpdateBody } from '../destinations/destination-body';
import { destinationNotFound, DESTINATION_ID_PARAMETER, isPossibleDestination } from '../destinations/destination-param';
import { destinationView } from '../destinations/destination-view';
import { refusing, STORE_OPTIONS } from '../destinations/refusals';
import { ApiError } from '../http/errors';
import { readJsonBody } from '../http/read-json';
import { ADMIN_KEY_SECURITY, BODY_ERRORS, COMMON_ERRORS, ERROR_RESPONSES, JSON_TYPE, okResponse, REQUEST_ID_PARAMETER, schemaRef } from '../openapi/refs';
import type { ProfileRoute } from './route';

export const updateDestinationRoute: ProfileRoute = {
  method: 'PATCH',
  path: '/v1/destinations/{id}',
  operation: {
    operationId: 'updateDestination',
    summary: 'Change a destination; answers it (without credentials)',
    description: [
      'Fields absent from the body stay; `settings`, `filters`, `credentials` and `deliveryPolicy` are replaced whole. `credentials: null` removes them, `deliveryPolicy: null` restores the defaults.',
      'The type cannot change; enabling and disabling have their own endpoints. Changing settings of a destination with credentials needs `STRATUM_CREDENTIALS_KEYS` on the service, since the check reads them.',
    ].join(' '),
    tags: ['destinations'],
    security: ADMIN_KEY_SECURITY,
    parameters: [DESTINATION_ID_PARAMETER, REQUEST_ID_PARAMETER],
    requestBody: { required: true, content: { [JSON_TYPE]: { schema: schemaRef('DestinationChange') } } },
    responses: {
      '200': okResponse('The destination after the change.', 'Destination'),
      '404': ERROR_RESPONSES[404],
      '409': ERROR_RESPONSES[409],
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  },
  async handle({ tenantId, params, req }, { db, keyring, maxBodyBytes }) {
    const id = params.id ?? '';
    const body = await readJsonBody(req, maxBodyBytes, { mayHoldSecrets: true });
    if (body instanceof ApiError) return body;
    const update = parseUpdateBody(body.json);
    if (update instanceof ApiError) return update;
    if (!isPossibleDestination(id)) return destinationNotFound(id);
    const updated = await refusing(id, () => updateDestination(db, keyring, tenantId, id, update, STORE_OPTIONS));
    return updated instanceof ApiError ? updated : { status: 200, body: destinationView(updated) };
  },
};
