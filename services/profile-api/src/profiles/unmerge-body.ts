/** The body of POST /v1/profiles/{id}/unmerge, checked: one identifier, or an edge of two, and an optional reason. */
import { identifierKey, type UnmergeTarget } from '@stratum/identity';
import { ApiError, apiError, invalid } from '../http/errors';
import { parseIdentifierParam } from './identifier-param';

export interface UnmergeBody {
  readonly remove: UnmergeTarget;
  readonly reason: string | null;
}

const keyOf = (text: unknown, field: string): string | ApiError => {
  if (typeof text !== 'string') return invalid('invalid_body', field, 'must be a string <type>:<value>');
  const parsed = parseIdentifierParam(text);
  if (parsed instanceof ApiError) return apiError('invalid_body', `${field} ${parsed.details.reason ?? parsed.message}`, { field, reason: parsed.details.reason ?? parsed.message });
  return identifierKey(parsed);
};

export function parseUnmergeBody(json: unknown): UnmergeBody | ApiError {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return invalid('invalid_body', 'body', 'must be a JSON object with identifier or edge');
  const body = json as Record<string, unknown>;
  const unknown = Object.keys(body).find((k) => !['identifier', 'edge', 'reason'].includes(k));
  if (unknown !== undefined) return invalid('invalid_body', unknown.slice(0, 64), 'is not a field of an unmerge (identifier, edge, reason)');
  if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > 500)) return invalid('invalid_body', 'reason', 'must be a string of at most 500 characters');
  const reason = (body.reason as string | undefined) ?? null;
  if ((body.identifier === undefined) === (body.edge === undefined)) return invalid('invalid_body', 'body', 'must name exactly one of identifier or edge');
  if (body.identifier !== undefined) {
    const key = keyOf(body.identifier, 'identifier');
    return key instanceof ApiError ? key : { remove: { identifier: key }, reason };
  }
  if (!Array.isArray(body.edge) || body.edge.length !== 2) return invalid('invalid_body', 'edge', 'must be a list of two identifiers');
  const a = keyOf(body.edge[0], 'edge[0]');
  if (a instanceof ApiError) return a;
  const b = keyOf(body.edge[1], 'edge[1]');
  if (b instanceof ApiError) return b;
  if (a === b) return invalid('invalid_body', 'edge', 'must name two different identifiers');
  return { remove: { edge: { a, b } }, reason };
}
