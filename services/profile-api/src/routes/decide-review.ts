/**
 * POST /v1/reviews/{id}/approve and /reject: a person's answer to an entry of the review queue
 * (@stratum/identity decide-review). Approve makes the entry's profiles one (the oldest survives;
 * an unmerge can split them again); reject closes it as different people. Both record who and
 * why in the entry and the identity audit. Two routes, one shape: they differ in the call and the
 * words. The body is optional: `{"reason": "…"}`.
 */
import type { IncomingMessage } from 'node:http';
import { approveReview, rejectReview, reviewErrors, type ReviewDecision, type ReviewDecisionRequest } from '@stratum/identity';
import type { Db } from '@stratum/db';
import { apiError, ApiError, invalid } from '../http/errors';
import { readJsonBody } from '../http/read-json';
import { ADMIN_KEY_SECURITY, BODY_ERRORS, COMMON_ERRORS, ERROR_RESPONSES, JSON_TYPE, okResponse, REQUEST_ID_PARAMETER, schemaRef } from '../openapi/refs';
import type { ParameterObject } from '../openapi/types';
import type { ProfileRoute } from './route';

const REVIEW_ID_PARAMETER: ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'A review entry id, as `GET /v1/reviews` lists it. Another tenant\'s id is 404, like an unknown one.',
  schema: { type: 'string', minLength: 1, maxLength: 128 },
};

const reviewNotFound = (id: string) => apiError('review_not_found', `review entry ${JSON.stringify(id.slice(0, 128))} not found`);

/** The reason of the optional body; null without a body. */
async function decisionReason(req: IncomingMessage, maxBodyBytes: number): Promise<string | null | ApiError> {
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  if (!hasBody) return null;
  const body = await readJsonBody(req, maxBodyBytes);
  if (body instanceof ApiError) return body;
  if (typeof body.json !== 'object' || body.json === null || Array.isArray(body.json)) return invalid('invalid_body', 'body', 'must be a JSON object, e.g. {"reason": "same person: moved house"}');
  const fields = body.json as Record<string, unknown>;
  const unknown = Object.keys(fields).find((k) => k !== 'reason');
  if (unknown !== undefined) return invalid('invalid_body', unknown.slice(0, 64), 'is not a field of a review decision (reason)');
  if (fields.reason === undefined) return null;
  if (typeof fields.reason !== 'string' || fields.reason.length > 500) return invalid('invalid_body', 'reason', 'must be a string of at most 500 characters');
  return fields.reason;
}

function decisionRoute(action: 'approve' | 'reject', decide: (db: Db, tenantId: string, request: ReviewDecisionRequest, now: () => number) => Promise<ReviewDecision>, summary: string, description: string): ProfileRoute {
  return {
    method: 'POST',
    path: `/v1/reviews/{id}/${action}`,
    operation: {
      operationId: `${action}Review`,
      summary,
      description,
      tags: ['reviews'],
      security: ADMIN_KEY_SECURITY,
      parameters: [REVIEW_ID_PARAMETER, REQUEST_ID_PARAMETER],
      requestBody: { required: false, content: { [JSON_TYPE]: { schema: schemaRef('ReviewDecisionRequest') } } },
      responses: {
        '200': okResponse('The decision.', 'ReviewDecision'),
        '404': ERROR_RESPONSES[404],
        '409': ERROR_RESPONSES[409],
        ...BODY_ERRORS,
        ...COMMON_ERRORS,
      },
    },
    async handle({ tenantId, params, req, requestId }, { db, now, maxBodyBytes }) {
      const id = params.id ?? '';
      const reason = await decisionReason(req, maxBodyBytes);
      if (reason instanceof ApiError) return reason;
      if (id.length === 0 || id.length > 128) return reviewNotFound(id);
      try {
        const decision = await decide(db, tenantId, { reviewId: id, actor: `profile-api request ${requestId}`, reason }, now);
        return { status: 200, body: { ...decision, decidedAt: new Date(decision.decidedAt).toISOString() } };
      } catch (err) {
        if (reviewErrors.is(err, 'review_not_found')) return reviewNotFound(id);
        if (reviewErrors.is(err, 'review_decided')) return apiError('review_decided', (err as Error).message);
        throw err;
      }
    },
  };
}

export const approveReviewRoute = decisionRoute(
  'approve',
  approveReview,
  'Approve a review entry: its profiles are one person',
  'The active profiles the entry is about (each candidate as it is now, and the holder of its identifier) are merged: the oldest survives, identifiers, events and consents move to it, traits are recomputed by survivorship, and a `manual:review` link joins the graphs, so `POST /v1/profiles/{id}/unmerge` can split them again. When they are one profile already, nothing moves. The entry and the audit record who decided.',
);
export const rejectReviewRoute = decisionRoute('reject', rejectReview, 'Reject a review entry: different people', 'The entry is closed as different people; nothing else changes. The entry and the audit (action reject) record who decided.');
