/**
 * Person upsert (and merge) in Pipedrive as a sequence of requests the service runs one by one
 * (developers.pipedrive.com/docs/api/v1/Persons; pipedrive.readme.io "Merging two persons"):
 *
 *   1 search   GET  /api/v1/persons/search?term={email}&fields=email&exact_match=true
 *   2 upsert   PUT  /api/v1/persons/{id}   { name, [profileIdField] }             when found
 *              POST /api/v1/persons        { name, email: [...], phone?, [profileIdField] }
 *   for each merged Stratum profile (needs settings.profileIdField, the custom field holding our profile id):
 *   3 find     GET  /api/v1/persons/search?term={mergedProfileId}&fields=custom_fields&exact_match=true
 *   4 merge    PUT  /api/v1/persons/{found}/merge  { merge_with_id: {upserted} }
 *              (the person in the path is removed; merge_with_id keeps its data on conflicts)
 *
 * Every step is safe to repeat, so a retry restarts from step 1: a second search finds the person
 * the first attempt created, and a merged-away person no longer turns up in step 3.
 * api_token travels as a query parameter, as Pipedrive's API-token authentication requires.
 */
import { classifyHttpStatus, classifyNetworkError, headerValue } from '../classify-http';
import { delivered, failure } from '../delivery-codes';
import { numberAt, parseObject, pathValue, stringAt } from '../event-fields';
import type { Classification, ClassifyContext, HttpRequest, HttpResponse, HttpResult, PreparedEvent, RequestEvent, SequenceStep } from '../types';
import type { PipedrivePerson } from './pipedrive-person';

export interface PipedriveFlowConfig {
  readonly baseUrl: string;
  readonly apiToken: string;
  /** Key of the person custom field that stores the Stratum profile id; null: merges are not mirrored. */
  readonly profileIdField: string | null;
}

/** Where the flow is; carried between requests by the service, opaque to it. */
export type PipedriveState =
  | { readonly step: 'search' | 'upsert'; readonly event: RequestEvent; readonly person: PipedrivePerson }
  | { readonly step: 'find_merged' | 'merge'; readonly event: RequestEvent; readonly person: PipedrivePerson; readonly personId: number; readonly remaining: readonly string[] };

type Step = SequenceStep<PipedriveState>;

function request(config: PipedriveFlowConfig, event: RequestEvent, method: HttpRequest['method'], path: string, query: Record<string, string>, body: unknown): HttpRequest {
  const params = new URLSearchParams({ ...query, api_token: config.apiToken });
  return {
    method,
    url: `${config.baseUrl}/api/v1/${path}?${params.toString()}`,
    headers: body === null ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === null ? null : JSON.stringify(body),
    events: [event],
    secrets: [config.apiToken, encodeURIComponent(config.apiToken)],
  };
}

function search(config: PipedriveFlowConfig, event: RequestEvent, term: string, field: 'email' | 'custom_fields'): HttpRequest {
  return request(config, event, 'GET', 'persons/search', { term, fields: field, exact_match: 'true' }, null);
}

/** The first search hit (Pipedrive sorts by score), for emails only one actually listing that address. */
function firstHit(response: HttpResponse, email: string | null): number | null {
  const items = pathValue(parseObject(response.body), 'data.items');
  if (!Array.isArray(items)) return null;
  for (const entry of items) {
    const id = numberAt(entry, 'item.id');
    const emails = pathValue(entry, 'item.emails');
    const listed = !Array.isArray(emails) || email === null || emails.some((e) => (typeof e === 'string' ? e : stringAt(e, 'value'))?.toLowerCase() === email);
    if (id !== null && listed) return id;
  }
  return null;
}

function upsert(config: PipedriveFlowConfig, event: RequestEvent, person: PipedrivePerson, existing: number | null): HttpRequest {
  const profileField = config.profileIdField === null ? {} : { [config.profileIdField]: person.profileId };
  if (existing !== null) return request(config, event, 'PUT', `persons/${existing}`, {}, { name: person.name, ...profileField });
  return request(config, event, 'POST', 'persons', {}, {
    name: person.name,
    email: [{ value: person.email, primary: true, label: 'work' }],
    ...(person.phone === null ? {} : { phone: [{ value: person.phone, primary: true, label: 'mobile' }] }),
    ...profileField,
  });
}

/** Pipedrive's error text, and its rate-limit reset when no Retry-After came. */
function classifyPipedriveError(response: HttpResponse, ctx: ClassifyContext): Classification {
  const body = parseObject(response.body);
  const error = stringAt(body, 'error');
  const info = stringAt(body, 'error_info');
  const c = classifyHttpStatus(response, ctx, { reason: error === null ? null : `Pipedrive: ${error}${info === null ? '' : ` (${info})`}` });
  const reset = headerValue(response.headers, 'x-ratelimit-reset');
  if (c.error !== null && c.error.retryable && c.error.retryAfterMs === null && reset !== undefined && /^\d+$/.test(reset)) {
    return { ...c, error: { ...c.error, retryAfterMs: Number(reset) * 1000 } };
  }
  return c;
}

function nextMerge(config: PipedriveFlowConfig, state: { event: RequestEvent; person: PipedrivePerson }, personId: number, remaining: readonly string[]): Step {
  const [mergedId, ...rest] = remaining;
  if (mergedId === undefined) return { done: true, classification: delivered(String(personId)) };
  return { done: false, request: search(config, state.event, mergedId, 'custom_fields'), state: { step: 'find_merged', event: state.event, person: state.person, personId, remaining: rest } };
}

/** The first request of the flow. */
export function startPipedriveFlow(prepared: PreparedEvent<PipedrivePerson>, config: PipedriveFlowConfig): Step {
  const event = { messageId: prepared.messageId, idempotencyKey: prepared.idempotencyKey };
  return { done: false, request: search(config, event, prepared.payload.email, 'email'), state: { step: 'search', event, person: prepared.payload } };
}

/** The request after `state` given the answer to the last one, or the flow's outcome. */
export function nextPipedriveStep(state: PipedriveState, result: HttpResult, config: PipedriveFlowConfig, ctx: ClassifyContext): Step {
  if ('networkError' in result) return { done: true, classification: classifyNetworkError(result.networkError) };
  const { response } = result;
  const ok = response.status >= 200 && response.status < 300;
  // A person merged away between our search and our merge is the outcome we wanted.
  const alreadyMerged = state.step === 'merge' && response.status === 404;
  if (!ok && !alreadyMerged) return { done: true, classification: classifyPipedriveError(response, ctx) };
  switch (state.step) {
    case 'search':
      return { done: false, request: upsert(config, state.event, state.person, firstHit(response, state.person.email)), state: { step: 'upsert', event: state.event, person: state.person } };
    case 'upsert': {
      const personId = numberAt(parseObject(response.body), 'data.id');
      if (personId === null) return { done: true, classification: failure('platform_rejected', 'Pipedrive answered the upsert without data.id', { httpStatus: response.status }) };
      const merges = state.person.mergedProfileIds;
      if (merges.length > 0 && config.profileIdField === null) {
        return { done: true, classification: delivered(String(personId), `${merges.length} merged profile(s) not mirrored: settings.profileIdField is not set`) };
      }
      return nextMerge(config, state, personId, merges);
    }
    case 'find_merged': {
      const found = firstHit(response, null);
      if (found === null || found === state.personId) return nextMerge(config, state, state.personId, state.remaining);
      const merge = request(config, state.event, 'PUT', `persons/${found}/merge`, {}, { merge_with_id: state.personId });
      return { done: false, request: merge, state: { ...state, step: 'merge' } };
    }
    case 'merge':
      return nextMerge(config, state, state.personId, state.remaining);
  }
}

