/** GET /v1/destinations/{id}: one destination by id or name, never with its credentials. */
import { destinationNotFound, DESTINATION_ID_PARAMETER, isPossibleDestination } from '../destinations/destination-param';
import { destinationView, findDestination } from '../destinations/destination-view';
import { ADMIN_KEY_SECURITY, COMMON_ERRORS, ERROR_RESPONSES, okResponse, REQUEST_ID_PARAMETER } from '../openapi/refs';
import type { ProfileRoute } from './route';

export const getDestinationRoute: ProfileRoute = {
  method: 'GET',
  path: '/v1/destinations/{id}',
  operation: {
    operationId: 'getDestination',
    summary: 'A destination (without credentials)',
    description: 'By id (`dst_…`) or by name in any case, enabled or not.',
    tags: ['destinations'],
    security: ADMIN_KEY_SECURITY,
    parameters: [DESTINATION_ID_PARAMETER, REQUEST_ID_PARAMETER],
    responses: {
      '200': okResponse('The destination.', 'Destination'),
      '404': ERROR_RESPONSES[404],
      ...COMMON_ERRORS,
    },
  },
  async handle({ tenantId, params }, { db }) {
    const id = params.id ?? '';
    const found = isPossibleDestination(id) ? await findDestination(db, tenantId, id) : null;
    return found === null ? destinationNotFound(id) : { status: 200, body: destinationView(found) };
  },
};
