/**
 * GET /v1/destinations: the tenant's destinations by name, never with credentials. Disabled ones
 * are listed too unless `includeDisabled=false`: an admin listing that hid them would make a
 * disabled destination look deleted (and its name look free, which it is not).
 */
import { listDestinations } from '@stratum/destinations';
import { destinationView } from '../destinations/destination-view';
import { invalid } from '../http/errors';
import { ADMIN_KEY_SECURITY, COMMON_ERRORS, ERROR_RESPONSES, okResponse, REQUEST_ID_PARAMETER } from '../openapi/refs';
import type { ParameterObject } from '../openapi/types';
import type { ProfileRoute } from './route';

const INCLUDE_DISABLED: ParameterObject = {
  name: 'includeDisabled',
  in: 'query',
  description: '`true` (default): every destination, `enabled` saying which receive events. `false`: only the enabled ones.',
  schema: { type: 'string', enum: ['true', 'false'], default: 'true' },
};

export const listDestinationsRoute: ProfileRoute = {
  method: 'GET',
  path: '/v1/destinations',
  operation: {
    operationId: 'listDestinations',
    summary: "Your tenant's destinations (never their credentials)",
    description: 'Ordered by name in any case. `hasCredentials` and `credentialsKeyId` say whether credentials are stored and under which key; the credentials themselves are never answered.',
    tags: ['destinations'],
    security: ADMIN_KEY_SECURITY,
    parameters: [INCLUDE_DISABLED, REQUEST_ID_PARAMETER],
    responses: {
      '200': okResponse('The destinations.', 'DestinationList'),
      '400': ERROR_RESPONSES[400],
      ...COMMON_ERRORS,
    },
  },
  async handle({ tenantId, query }, { db }) {
    const flag = query.get('includeDisabled');
    if (flag !== undefined && flag !== 'true' && flag !== 'false') return invalid('invalid_parameter', 'includeDisabled', 'must be true or false');
    const destinations = await listDestinations(db, tenantId, { includeDisabled: flag !== 'false' });
    return { status: 200, body: { destinations: destinations.map(destinationView) } };
  },
};
