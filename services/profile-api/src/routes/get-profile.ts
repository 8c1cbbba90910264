/**
 * GET /v1/profiles/{id}: the golden record with its identifiers, current consents and the ids
 * merged into it. An id that was merged away answers 200 with the survivor (`id` is the
 * survivor's, `requestedId` the one asked for, `mergedInto` the survivor's id; `mergedInto` is
 * null when the id asked for is itself the answer) and `Content-Location` naming the survivor's
 * URL — not a redirect: the answer is the person the id stood for, and a client that stored the
 * old id needs no second round trip to learn the new one.
 */
import { findProfile } from '../profiles/find-profile';
import { profileView } from '../profiles/profile-view';
import { readAsTenant } from '../profiles/read-as-tenant';
import { ADMIN_KEY_SECURITY, COMMON_ERRORS, ERROR_RESPONSES, okResponse, REQUEST_ID_PARAMETER } from '../openapi/refs';
import { ID_PARAMETER, profileNotFound } from './parameters';
import type { ProfileRoute } from './route';

export const getProfile: ProfileRoute = {
  method: 'GET',
  path: '/v1/profiles/{id}',
  operation: {
    operationId: 'getProfile',
    summary: 'A profile: traits, identifiers, consents',
    description:
      'The golden record. An id merged into another profile answers 200 with the surviving profile: `id` is the survivor, `requestedId` the id asked for, `mergedInto` the survivor (null when not merged), and `Content-Location` the survivor\'s URL.',
    tags: ['profiles'],
    security: ADMIN_KEY_SECURITY,
    parameters: [ID_PARAMETER, REQUEST_ID_PARAMETER],
    responses: {
      '200': okResponse('The profile (or the survivor of a merged id).', 'ProfileAnswer', { 'Content-Location': { $ref: '#/components/headers/Content-Location' } }),
      '400': ERROR_RESPONSES[400],
      '404': ERROR_RESPONSES[404],
      ...COMMON_ERRORS,
    },
  },
  async handle({ tenantId, params }, { db }) {
    const id = params.id ?? '';
    const view = await readAsTenant(db, tenantId, async (trx) => {
      const found = await findProfile(trx, tenantId, id);
      return found && { requestedId: found.requestedId, profile: await profileView(trx, tenantId, found.row) };
    });
    if (view === null) return profileNotFound(id);
    const merged = view.profile.id !== view.requestedId;
    return {
      status: 200,
      body: { ...view.profile, requestedId: view.requestedId, mergedInto: merged ? view.profile.id : null },
      headers: { 'content-location': `/v1/profiles/${encodeURIComponent(view.profile.id)}` },
    };
  },
};
