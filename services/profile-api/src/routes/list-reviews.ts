/**
 * GET /v1/reviews: the review queue as a work list — the pairs identity resolution would not
 * decide alone (fuzzy matches between the thresholds, links the chain guard held back, merges the
 * anomaly guard stopped), newest first, in keyset pages; `status` open (default), approved or
 * rejected, and optionally one `reason` (fuzzy_match for the person import's), a score range
 * and whether the entry is settled (its profiles one already): the selection
 * `stratum identity review approve-all` takes, so a UI can show what it would decide.
 */
import { ApiError, invalid } from '../http/errors';
import { ADMIN_KEY_SECURITY, COMMON_ERRORS, ERROR_RESPONSES, okResponse, REQUEST_ID_PARAMETER } from '../openapi/refs';
import { encodeCursor } from '../profiles/cursor';
import { readAsTenant } from '../profiles/read-as-tenant';
import { readReviews, REVIEW_STATUSES, type ReviewStatus } from '@stratum/identity';
import { CURSOR_PARAMETER, LIMIT_PARAMETER, pageCursor, pageSize } from './parameters';
import type { ProfileRoute } from './route';

const REASON = /^[a-z][a-z0-9_]{0,63}$/;

function scoreParameter(query: ReadonlyMap<string, string>, name: string): number | null | ApiError {
  const text = query.get(name) ?? null;
  if (text === null) return null;
  const n = /^-?\d{1,6}(\.\d{1,6})?$/.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) ? n : invalid('invalid_parameter', name, `must be a number such as 12 or 9.5, got ${JSON.stringify(text.slice(0, 32))}`);
}

export const listReviews: ProfileRoute = {
  method: 'GET',
  path: '/v1/reviews',
  operation: {
    operationId: 'listReviews',
    summary: 'The review queue: pairs identity resolution left to a person',
    description: [
      'Entries newest first (ties by id); page with `nextCursor`. Each names the profiles it was about when made (`candidateProfileIds`) and the active profiles those are now',
      '(`currentProfileIds`: one id means a later event or row joined them already). Decide an open entry with `POST /v1/reviews/{id}/approve` or `/reject`.',
    ].join(' '),
    tags: ['reviews'],
    security: ADMIN_KEY_SECURITY,
    parameters: [
      { name: 'status', in: 'query', description: 'Entries of this status (default open).', schema: { type: 'string', enum: [...REVIEW_STATUSES], default: 'open' } },
      {
        name: 'reason',
        in: 'query',
        description: 'Only entries of this reason, e.g. `fuzzy_match` (the person import), `merge_limit`.',
        schema: { type: 'string', pattern: REASON.source },
      },
      { name: 'minScore', in: 'query', description: 'Only entries whose match score is at least this (entries without a score are left out).', schema: { type: 'number' } },
      { name: 'maxScore', in: 'query', description: 'Only entries whose match score is below this (entries without a score are left out).', schema: { type: 'number' } },
      {
        name: 'settled',
        in: 'query',
        description: '`true`: only entries whose profiles are one already (`currentProfileIds` has one id: approving merges nothing); `false`: only those still naming two or more.',
        schema: { type: 'boolean' },
      },
      LIMIT_PARAMETER,
      CURSOR_PARAMETER,
      REQUEST_ID_PARAMETER,
    ],
    responses: { '200': okResponse('One page of the queue.', 'ReviewPage'), '400': ERROR_RESPONSES[400], ...COMMON_ERRORS },
  },
  async handle({ tenantId, query }, { db }) {
    const limit = pageSize(query);
    if (limit instanceof ApiError) return limit;
    const after = pageCursor(query);
    if (after instanceof ApiError) return after;
    const status = query.get('status') ?? 'open';
    if (!(REVIEW_STATUSES as readonly string[]).includes(status)) return invalid('invalid_parameter', 'status', `must be one of ${REVIEW_STATUSES.join(', ')}`);
    const reason = query.get('reason') ?? null;
    if (reason !== null && !REASON.test(reason)) return invalid('invalid_parameter', 'reason', 'must be a reason code: lower-case letters, digits and _, at most 64');
    const minScore = scoreParameter(query, 'minScore');
    if (minScore instanceof ApiError) return minScore;
    const maxScore = scoreParameter(query, 'maxScore');
    if (maxScore instanceof ApiError) return maxScore;
    const settled = query.get('settled') ?? null;
    if (settled !== null && settled !== 'true' && settled !== 'false') return invalid('invalid_parameter', 'settled', 'must be true or false');
    const filter = { status: status as ReviewStatus, reason, minScore, maxScore, settled: settled === null ? null : settled === 'true' };
    const page = await readAsTenant(db, tenantId, (trx) => readReviews(trx, tenantId, filter, limit, after));
    return { status: 200, body: { reviews: page.reviews, nextCursor: page.next && encodeCursor(page.next) } };
  },
};
