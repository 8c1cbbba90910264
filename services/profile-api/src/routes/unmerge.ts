/**
 * POST /v1/profiles/{id}/unmerge: takes an identifier, or the link between two, out of the
 * profile's graph and splits it along the edges that remain (packages/identity unmerge): the parts
 * come back as profiles — merged-away ones with their old ids — with their events and traits. The
 * decision is recorded in identity_audit (action unmerge, the caller as actor) in the same
 * transaction, with the audit record and the parts' snapshots in the identity outbox, which
 * identity-resolution's relay publishes on identity.audit and profiles.changes.
 */
import { newProfileId, unmerge, unmergeErrors } from '@stratum/identity';
import { apiError, ApiError } from '../http/errors';
import { readJsonBody } from '../http/read-json';
import { ADMIN_KEY_SECURITY, BODY_ERRORS, COMMON_ERRORS, ERROR_RESPONSES, JSON_TYPE, okResponse, REQUEST_ID_PARAMETER, schemaRef } from '../openapi/refs';
import { findProfile } from '../profiles/find-profile';
import { readAsTenant } from '../profiles/read-as-tenant';
import { parseUnmergeBody } from '../profiles/unmerge-body';
import { ID_PARAMETER, profileNotFound } from './parameters';
import type { ProfileRoute } from './route';

export const unmergeProfile: ProfileRoute = {
  method: 'POST',
  path: '/v1/profiles/{id}/unmerge',
  operation: {
    operationId: 'unmergeProfile',
    summary: 'Split a profile by removing an identifier or a link; answers the parts',
    description: [
      "Membership is recomputed from the links that remain: each connected part becomes a profile. The part with most of the profile's own identifiers keeps its id;",
      'a part that came from a profile merged in earlier gets that id back (`restored`), others get new ids. Events follow their most trusted identifier; traits are recomputed per part.',
      'A removed identifier becomes a profile of its own; block its value in the identity settings to keep events from linking it again.',
    ].join(' '),
    tags: ['profiles'],
    security: ADMIN_KEY_SECURITY,
    parameters: [ID_PARAMETER, REQUEST_ID_PARAMETER],
    requestBody: { required: true, content: { [JSON_TYPE]: { schema: schemaRef('UnmergeRequest') } } },
    responses: {
      '200': okResponse('The part that kept the id and the parts split off.', 'UnmergeResult'),
      '404': ERROR_RESPONSES[404],
      '409': ERROR_RESPONSES[409],
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  },
  async handle({ tenantId, params, req, requestId }, { db, now, maxBodyBytes }) {
    const id = params.id ?? '';
    const body = await readJsonBody(req, maxBodyBytes);
    if (body instanceof ApiError) return body;
    const parsed = parseUnmergeBody(body.json);
    if (parsed instanceof ApiError) return parsed;
    // An id merged into another answers for the survivor, as everywhere in this API.
    const found = await readAsTenant(db, tenantId, (trx) => findProfile(trx, tenantId, id));
    if (found === null) return profileNotFound(id);
    try {
      const result = await unmerge(db, tenantId, { profileId: found.row.id, remove: parsed.remove, actor: `profile-api request ${requestId}`, reason: parsed.reason }, newProfileId, now);
      return { status: 200, body: { ...result, occurredAt: new Date(result.occurredAt).toISOString() } };
    } catch (err) {
      if (unmergeErrors.is(err, 'profile_not_found')) return profileNotFound(id);
      if (unmergeErrors.is(err, 'identifier_not_on_profile')) return apiError('identifier_not_on_profile', 'the identifier is not on this profile', { field: 'identifier' });
      if (unmergeErrors.is(err, 'edge_not_found')) return apiError('edge_not_found', 'no active link between these two identifiers on this profile', { field: 'edge' });
      throw err;
    }
  },
};
