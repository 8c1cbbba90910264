/**
 * PUT /v1/profiles/{id}/consents: records consent changes (appended, time-versioned, source `api`)
 * and answers the profile's current consents. The profile row is locked (FOR SHARE) for the
 * transaction, so the rows cannot land on a profile a concurrent merge is moving away from.
 *
 * The changes and the profile's new snapshot (version bumped) go to the identity outbox in the same
 * transaction; identity-resolution's relay publishes them on consents.changes and profiles.changes.
 */
import { withTenant } from '@stratum/identity';
import { ApiError } from '../http/errors';
import { readJsonBody } from '../http/read-json';
import { ADMIN_KEY_SECURITY, BODY_ERRORS, COMMON_ERRORS, ERROR_RESPONSES, JSON_TYPE, okResponse, REQUEST_ID_PARAMETER, schemaRef } from '../openapi/refs';
import { parseConsentBody } from '../profiles/consent-body';
import { appendConsents, currentConsents } from '../profiles/consents';
import { findProfile } from '../profiles/find-profile';
import { ID_PARAMETER, profileNotFound } from './parameters';
import type { ProfileRoute } from './route';

export const putConsents: ProfileRoute = {
  method: 'PUT',
  path: '/v1/profiles/{id}/consents',
  operation: {
    operationId: 'putProfileConsents',
    summary: "Record consent changes; answers the profile's current consents",
    description: [
      'Each change is appended (nothing is overwritten: the history is the legal record) with source `api`; `effectiveAt` defaults to now.',
      'A purpose\'s current state is its change with the latest `effectiveAt`, so a change dated before the current one is kept as history and does not override it.',
      'The whole request is recorded or nothing is. An id merged into another profile records on the survivor.',
    ].join(' '),
    tags: ['profiles'],
    security: ADMIN_KEY_SECURITY,
    parameters: [ID_PARAMETER, REQUEST_ID_PARAMETER],
    requestBody: { required: true, content: { [JSON_TYPE]: { schema: schemaRef('ConsentChanges') } } },
    responses: {
      '200': okResponse('The current consents after the change.', 'ConsentList'),
      '404': ERROR_RESPONSES[404],
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  },
  async handle({ tenantId, params, req }, { db, now, maxBodyBytes }) {
    const id = params.id ?? '';
    const body = await readJsonBody(req, maxBodyBytes);
    if (body instanceof ApiError) return body;
    const changes = parseConsentBody(body.json, now());
    if (changes instanceof ApiError) return changes;
    const result = await withTenant(db, tenantId, async (trx) => {
      const found = await findProfile(trx, tenantId, id, { lock: true });
      if (found === null) return null;
      await appendConsents(trx, tenantId, found.row.id, changes);
      return { profileId: found.row.id, consents: await currentConsents(trx, tenantId, found.row.id) };
    });
    if (result === null) return profileNotFound(id);
    return { status: 200, body: result };
  },
};
