/**
 * GET /v1/profiles/{id}/events: the profile's timeline from the event archive, newest first, in
 * keyset pages (profiles/timeline.ts). It includes the events of the profiles merged into it (a
 * merge re-points their archived events), and a merged-away id reads its survivor's timeline.
 */
import { ApiError } from '../http/errors';
import { ADMIN_KEY_SECURITY, COMMON_ERRORS, ERROR_RESPONSES, okResponse, REQUEST_ID_PARAMETER } from '../openapi/refs';
import { encodeCursor } from '../profiles/cursor';
import { findProfile } from '../profiles/find-profile';
import { readAsTenant } from '../profiles/read-as-tenant';
import { readTimeline } from '../profiles/timeline';
import { CURSOR_PARAMETER, ID_PARAMETER, LIMIT_PARAMETER, pageCursor, pageSize, profileNotFound } from './parameters';
import type { ProfileRoute } from './route';

export const listEvents: ProfileRoute = {
  method: 'GET',
  path: '/v1/profiles/{id}/events',
  operation: {
    operationId: 'listProfileEvents',
    summary: "A profile's event timeline, newest first",
    description:
      'Events ordered by event time, newest first (ties by messageId), including those of the profiles merged into this one. Page with `nextCursor`: pass it as `cursor` until it is null. Pages neither repeat nor skip events.',
    tags: ['profiles'],
    security: ADMIN_KEY_SECURITY,
    parameters: [ID_PARAMETER, LIMIT_PARAMETER, CURSOR_PARAMETER, REQUEST_ID_PARAMETER],
    responses: { '200': okResponse('One page of the timeline.', 'EventPage'), '400': ERROR_RESPONSES[400], '404': ERROR_RESPONSES[404], ...COMMON_ERRORS },
  },
  async handle({ tenantId, params, query }, { db }) {
    const id = params.id ?? '';
    const limit = pageSize(query);
    if (limit instanceof ApiError) return limit;
    const after = pageCursor(query);
    if (after instanceof ApiError) return after;
    const page = await readAsTenant(db, tenantId, async (trx) => {
      const found = await findProfile(trx, tenantId, id);
      return found && { profileId: found.row.id, ...(await readTimeline(trx, tenantId, found.row.id, limit, after)) };
    });
    if (page === null) return profileNotFound(id);
    return { status: 200, body: { profileId: page.profileId, events: page.events, nextCursor: page.next && encodeCursor(page.next) } };
  },
};
