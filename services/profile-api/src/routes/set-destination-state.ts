/**
 * POST /v1/destinations/{id}/disable and /enable: stop or resume delivery, keeping settings and
 * credentials. Idempotent: a destination already in that state is answered unchanged (its
 * `disabledAt` keeps saying when it was first disabled). Two routes, one shape: they differ only
 * in the store call and the words.
 */
import { disableDestination, enableDestination, type DestinationSummary } from '@stratum/destinations';
import type { Db } from '@stratum/db';
import { destinationNotFound, DESTINATION_ID_PARAMETER, isPossibleDestination } from '../destinations/destination-param';
import { destinationView } from '../destinations/destination-view';
import { refusing } from '../destinations/refusals';
import { ApiError } from '../http/errors';
import { ADMIN_KEY_SECURITY, COMMON_ERRORS, ERROR_RESPONSES, okResponse, REQUEST_ID_PARAMETER } from '../openapi/refs';
import type { ProfileRoute } from './route';

function stateRoute(action: 'disable' | 'enable', change: (db: Db, tenantId: string, destination: string) => Promise<DestinationSummary>, summary: string): ProfileRoute {
  return {
    method: 'POST',
    path: `/v1/destinations/{id}/${action}`,
    operation: {
      operationId: `${action}Destination`,
      summary,
      description: 'Idempotent: a destination already in that state is answered as it is. Takes no body.',
      tags: ['destinations'],
      security: ADMIN_KEY_SECURITY,
      parameters: [DESTINATION_ID_PARAMETER, REQUEST_ID_PARAMETER],
      responses: {
        '200': okResponse(`The destination, ${action}d.`, 'Destination'),
        '404': ERROR_RESPONSES[404],
        ...COMMON_ERRORS,
      },
    },
    async handle({ tenantId, params }, { db }) {
      const id = params.id ?? '';
      if (!isPossibleDestination(id)) return destinationNotFound(id);
      const result = await refusing(id, () => change(db, tenantId, id));
      return result instanceof ApiError ? result : { status: 200, body: destinationView(result) };
    },
  };
}

export const disableDestinationRoute = stateRoute('disable', disableDestination, 'Stop delivering to a destination (settings and credentials are kept)');
export const enableDestinationRoute = stateRoute('enable', enableDestination, 'Resume delivering to a destination');
