/**
 * GET /v1/profiles/{id}/merges: the identity history of the person behind the id — every audit
 * row (link, merge, unmerge, review, reject) naming the profile or any profile merged into it,
 * newest first, in keyset pages. Taking the merged-in profiles too shows how the person came
 * together (their own links before they were absorbed), as the timeline shows their events.
 */
import { ApiError } from '../http/errors';
import { ADMIN_KEY_SECURITY, COMMON_ERRORS, ERROR_RESPONSES, okResponse, REQUEST_ID_PARAMETER } from '../openapi/refs';
import { encodeCursor } from '../profiles/cursor';
import { findProfile } from '../profiles/find-profile';
import { readMerges } from '../profiles/merges';
import { mergedProfileIds } from '../profiles/profile-view';
import { readAsTenant } from '../profiles/read-as-tenant';
import { CURSOR_PARAMETER, ID_PARAMETER, LIMIT_PARAMETER, pageCursor, pageSize, profileNotFound } from './parameters';
import type { ProfileRoute } from './route';

export const listMerges: ProfileRoute = {
  method: 'GET',
  path: '/v1/profiles/{id}/merges',
  operation: {
    operationId: 'listProfileMerges',
    summary: "A profile's identity history: links, merges, unmerges",
    description:
      'identity_audit records naming the profile, or any profile merged into it, as the subject (`profileId`) or among `otherProfileIds`; newest first (ties by auditId). Page with `nextCursor` like the timeline.',
    tags: ['profiles'],
    security: ADMIN_KEY_SECURITY,
    parameters: [ID_PARAMETER, LIMIT_PARAMETER, CURSOR_PARAMETER, REQUEST_ID_PARAMETER],
    responses: { '200': okResponse('One page of the history.', 'MergePage'), '400': ERROR_RESPONSES[400], '404': ERROR_RESPONSES[404], ...COMMON_ERRORS },
  },
  async handle({ tenantId, params, query }, { db }) {
    const id = params.id ?? '';
    const limit = pageSize(query);
    if (limit instanceof ApiError) return limit;
    const after = pageCursor(query);
    if (after instanceof ApiError) return after;
    const page = await readAsTenant(db, tenantId, async (trx) => {
      const found = await findProfile(trx, tenantId, id);
      if (found === null) return null;
      const family = [found.row.id, ...(await mergedProfileIds(trx, tenantId, found.row.id))];
      return { profileId: found.row.id, ...(await readMerges(trx, tenantId, family, limit, after)) };
    });
    if (page === null) return profileNotFound(id);
    return { status: 200, body: { profileId: page.profileId, merges: page.merges, nextCursor: page.next && encodeCursor(page.next) } };
  },
};
