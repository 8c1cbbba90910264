/**
 * POST /v1/reviews/approve and /reject: decide the open entries a selection names, oldest first,
 * each exactly as `POST /v1/reviews/{id}/approve|reject` decides one (@stratum/identity
 * decide-reviews): a reviewer who checked a sample of the fuzzy matches above a score approves the
 * rest. At most `limit` (≤ 1000) per request, so a request stays short; repeat until `selected`
 * is 0. The selection is the list's (`GET /v1/reviews` query parameters), so a UI decides what it
 * showed; one that names nothing is refused (deciding the whole queue unseen defeats it).
 */
import { decideReviews, reviewErrors, type ReviewSelection } from '@stratum/identity';
import { ApiError, invalid } from '../http/errors';
import { readJsonBody } from '../http/read-json';
import { ADMIN_KEY_SECURITY, BODY_ERRORS, COMMON_ERRORS, JSON_TYPE, okResponse, REQUEST_ID_PARAMETER, schemaRef } from '../openapi/refs';
import type { ProfileRoute } from './route';

const REASON = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_LIMIT = 1000;

interface BulkRequest {
  readonly selection: ReviewSelection;
  readonly note: string | null;
  readonly dryRun: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const score = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v));

/** The body: {"select": {reason, minScore, maxScore, settled}, "limit", "reason", "dryRun"}. */
function bulkRequest(json: unknown): BulkRequest | ApiError {
  if (!isObject(json)) return invalid('invalid_body', 'body', 'must be a JSON object, e.g. {"select": {"reason": "fuzzy_match", "minScore": 12}, "limit": 100}');
  const unknown = Object.keys(json).find((k) => !['select', 'limit', 'reason', 'dryRun'].includes(k));
  if (unknown !== undefined) return invalid('invalid_body', unknown.slice(0, 64), 'is not a field of a bulk review decision (select, limit, reason, dryRun)');
  const select = json.select;
  if (!isObject(select)) return invalid('invalid_body', 'select', 'must be an object naming the entries: reason, minScore, maxScore and/or settled');
  const unknownSelect = Object.keys(select).find((k) => !['reason', 'minScore', 'maxScore', 'settled'].includes(k));
  if (unknownSelect !== undefined) return invalid('invalid_body', `select.${unknownSelect.slice(0, 64)}`, 'is not a selection field (reason, minScore, maxScore, settled)');
  if (select.reason !== undefined && (typeof select.reason !== 'string' || !REASON.test(select.reason))) return invalid('invalid_body', 'select.reason', 'must be a reason code such as fuzzy_match');
  if (!score(select.minScore)) return invalid('invalid_body', 'select.minScore', 'must be a number');
  if (!score(select.maxScore)) return invalid('invalid_body', 'select.maxScore', 'must be a number');
  if (select.settled !== undefined && typeof select.settled !== 'boolean') return invalid('invalid_body', 'select.settled', 'must be true or false');
  const limit = json.limit ?? 100;
  if (!(typeof limit === 'number' && Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT)) return invalid('invalid_body', 'limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  if (json.reason !== undefined && (typeof json.reason !== 'string' || json.reason.length > 500)) return invalid('invalid_body', 'reason', 'must be a string of at most 500 characters');
  if (json.dryRun !== undefined && typeof json.dryRun !== 'boolean') return invalid('invalid_body', 'dryRun', 'must be true or false');
  return {
    selection: {
      reason: (select.reason as string | undefined) ?? null,
      minScore: (select.minScore as number | undefined) ?? null,
      maxScore: (select.maxScore as number | undefined) ?? null,
      settled: (select.settled as boolean | undefined) ?? null,
      limit,
    },
    note: (json.reason as string | undefined) ?? null,
    dryRun: json.dryRun === true,
  };
}

function bulkRoute(action: 'approve' | 'reject', summary: string): ProfileRoute {
  return {
    method: 'POST',
    path: `/v1/reviews/${action}`,
    operation: {
      operationId: `${action}Reviews`,
      summary,
      description: [
        `Each selected open entry, oldest first, is decided as \`POST /v1/reviews/{id}/${action}\` decides one, in its own transaction; at most \`limit\` per request (repeat until \`selected\` is 0).`,
        'The selection takes the fields of the list\'s query parameters; one that names nothing is refused (400). With `dryRun`, the entries are counted and named, and nothing is decided.',
      ].join(' '),
      tags: ['reviews'],
      security: ADMIN_KEY_SECURITY,
      parameters: [REQUEST_ID_PARAMETER],
      requestBody: { required: true, content: { [JSON_TYPE]: { schema: schemaRef('BulkReviewRequest') } } },
      responses: { '200': okResponse('What was decided.', 'BulkReviewResult'), ...BODY_ERRORS, ...COMMON_ERRORS },
    },
    async handle({ tenantId, req, requestId }, { db, now, maxBodyBytes }) {
      const body = await readJsonBody(req, maxBodyBytes);
      if (body instanceof ApiError) return body;
      const request = bulkRequest(body.json);
      if (request instanceof ApiError) return request;
      try {
        const result = await decideReviews(db, tenantId, action, request.selection, { actor: `profile-api request ${requestId}`, reason: request.note }, { dryRun: request.dryRun, now });
        return { status: 200, body: result };
      } catch (err) {
        if (reviewErrors.is(err, 'review_selection_missing')) return invalid('invalid_body', 'select', 'must name the entries: reason, minScore, maxScore and/or settled: true');
        throw err;
      }
    },
  };
}

export const approveReviewsRoute = bulkRoute('approve', 'Approve every open review entry a selection names');
export const rejectReviewsRoute = bulkRoute('reject', 'Reject every open review entry a selection names');
