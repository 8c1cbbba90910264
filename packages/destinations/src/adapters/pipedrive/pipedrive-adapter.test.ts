import { EMAIL, NOW, PHONE, jsonResponse, resolvedEvent, type EventInput } from '../resolved-event.fixture';
import type { Classification, HttpRequest, HttpResult, PreparedEvent } from '../types';
import { pipedriveAdapter } from './pipedrive-adapter';
import type { PipedrivePerson } from './pipedrive-person';

const TOKEN = 'a'.repeat(40);
const FIELD = 'f'.repeat(40);
const config = pipedriveAdapter.parseConfig({ settings: { companyDomain: 'acme', profileIdField: FIELD }, credentials: { apiToken: TOKEN } });
const ctx = { destinationId: 'dst_pd_1', now: NOW };

function prepared(input: EventInput = {}, cfg = config): PreparedEvent<PipedrivePerson> {
  const p = pipedriveAdapter.prepare(resolvedEvent({ type: 'identify', event: null, ...input }), cfg, ctx);
  if (p.kind !== 'prepared') throw new Error(`skipped: ${p.reason}`);
  return p;
}

/** Runs the flow against `answer`, as the service would; returns the requests made and the outcome. */
function run(p: PreparedEvent<PipedrivePerson>, answer: (r: HttpRequest) => HttpResult, cfg = config): { requests: HttpRequest[]; outcome: Classification } {
  const requests: HttpRequest[] = [];
  let step = pipedriveAdapter.start(p, cfg, { now: NOW });
  while (!step.done) {
    requests.push(step.request);
    step = pipedriveAdapter.next(step.state, answer(step.request), cfg, { now: NOW });
    if (requests.length > 20) throw new Error('flow does not end');
  }
  return { requests, outcome: step.classification };
}

const describeRequest = (r: HttpRequest) => {
  const url = new URL(r.url);
  return `${r.method} ${url.pathname}${url.searchParams.has('term') ? ` term=${url.searchParams.get('term')} fields=${url.searchParams.get('fields')}` : ''}`;
};
const searchResult = (...people: { id: number; emails?: string[] }[]) => jsonResponse(200, { success: true, data: { items: people.map((item) => ({ result_score: 1, item })) } });

it('creates the person when the email search finds nobody', () => {
  const { requests, outcome } = run(prepared(), (r) => (r.method === 'GET' ? searchResult() : jsonResponse(201, { success: true, data: { id: 501 } })));
  expect(requests.map(describeRequest)).toEqual([`GET /api/v1/persons/search term=${EMAIL} fields=email`, 'POST /api/v1/persons']);
  const search = new URL(requests[0]!.url);
  expect(search.origin).toBe('https://acme.pipedrive.com');
  expect(search.searchParams.get('exact_match')).toBe('true');
  expect(search.searchParams.get('api_token')).toBe(TOKEN);
  expect(JSON.parse(requests[1]!.body!)).toEqual({
    name: 'Ada Lovelace',
    email: [{ value: EMAIL, primary: true, label: 'work' }],
    phone: [{ value: PHONE, primary: true, label: 'mobile' }],
    [FIELD]: 'prof_01JD8ZB4T6YF3N2Q8W1',
  });
  expect(outcome).toMatchObject({ outcome: 'delivered', externalId: '501' });
  expect(requests[0]!.secrets).toContain(TOKEN);
});

it('updates the person the search found, without touching its email list', () => {
  const { requests, outcome } = run(prepared(), (r) => (r.method === 'GET' ? searchResult({ id: 77, emails: [EMAIL] }) : jsonResponse(200, { success: true, data: { id: 77 } })));
  expect(requests.map(describeRequest)).toEqual([`GET /api/v1/persons/search term=${EMAIL} fields=email`, 'PUT /api/v1/persons/77']);
  expect(JSON.parse(requests[1]!.body!)).toEqual({ name: 'Ada Lovelace', [FIELD]: 'prof_01JD8ZB4T6YF3N2Q8W1' });
  expect(outcome.externalId).toBe('77');
});

it('mirrors a profile merge: finds each merged profile by the custom field and merges it into the upserted person', () => {
  const p = prepared({ mergedProfileIds: ['prof_old_1', 'prof_old_2', 'prof_old_3'] });
  const { requests, outcome } = run(p, (r) => {
    const term = new URL(r.url).searchParams.get('term');
    if (r.method === 'GET' && term === EMAIL) return searchResult({ id: 77, emails: [EMAIL] });
    if (r.method === 'GET' && term === 'prof_old_1') return searchResult({ id: 12 });
    if (r.method === 'GET' && term === 'prof_old_2') return searchResult();
    if (r.method === 'GET' && term === 'prof_old_3') return searchResult({ id: 13 });
    if (r.url.includes('/persons/13/merge')) return jsonResponse(404, { success: false, error: 'Person not found' });
    return jsonResponse(200, { success: true, data: { id: 77 } });
  });
  expect(requests.map(describeRequest)).toEqual([
    `GET /api/v1/persons/search term=${EMAIL} fields=email`,
    'PUT /api/v1/persons/77',
    'GET /api/v1/persons/search term=prof_old_1 fields=custom_fields',
    'PUT /api/v1/persons/12/merge',
    'GET /api/v1/persons/search term=prof_old_2 fields=custom_fields',
    'GET /api/v1/persons/search term=prof_old_3 fields=custom_fields',
    'PUT /api/v1/persons/13/merge',
  ]);
  // The merged-away person is in the path; the one that survives is merge_with_id.
  expect(JSON.parse(requests[3]!.body!)).toEqual({ merge_with_id: 77 });
  expect(outcome).toMatchObject({ outcome: 'delivered', externalId: '77' });
});

it('upserts but notes the merge it cannot mirror without profileIdField', () => {
  const noField = pipedriveAdapter.parseConfig({ settings: { companyDomain: 'acme' }, credentials: { apiToken: TOKEN } });
  const { requests, outcome } = run(prepared({ mergedProfileIds: ['prof_old'] }, noField), (r) => (r.method === 'GET' ? searchResult() : jsonResponse(201, { success: true, data: { id: 9 } })), noField);
  expect(requests).toHaveLength(2);
  expect(outcome.note).toBe('1 merged profile(s) not mirrored: settings.profileIdField is not set');
});

it('stops at the first failing step with its classification', () => {
  const limited = run(prepared(), () => jsonResponse(429, { success: false, error: 'Rate limit exceeded' }, { 'x-ratelimit-reset': '2' }));
  expect(limited.requests).toHaveLength(1);
  expect(limited.outcome.error).toMatchObject({ code: 'http_429', retryable: true, retryAfterMs: 2000, message: 'HTTP 429: Pipedrive: Rate limit exceeded' });
  const unauthorized = run(prepared(), () => jsonResponse(401, { success: false, error: 'unauthorized access', errorCode: 401 }));
  expect(unauthorized.outcome.error).toMatchObject({ code: 'auth_failed', retryable: false });
  const down = run(prepared(), (r) => (r.method === 'GET' ? searchResult() : { networkError: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }));
  expect([down.requests.length, down.outcome.error?.code]).toEqual([2, 'connection_reset']);
});

describe('which events upsert a person', () => {
  it('identify, or any event that merged profiles; nothing else', () => {
    expect(pipedriveAdapter.prepare(resolvedEvent(), config, ctx)).toMatchObject({ kind: 'skip', outcome: 'filtered' });
    expect(pipedriveAdapter.prepare(resolvedEvent({ mergedProfileIds: ['prof_x'] }), config, ctx).kind).toBe('prepared');
  });

  it('needs a cleartext email', () => {
    expect(pipedriveAdapter.prepare(resolvedEvent({ type: 'identify', profileTraits: { first_name: 'Ada' }, context: {} }), config, ctx)).toMatchObject({ outcome: 'invalid', reason: 'no_email' });
    expect(prepared({ profileTraits: {}, traits: { email: ' Grace@Example.COM ', name: 'Grace Hopper' } }).payload).toMatchObject({ email: 'grace@example.com', name: 'Grace Hopper', phone: null });
  });
});

it('needs a company domain (or base URL) and a token', () => {
  expect(() => pipedriveAdapter.parseConfig({ settings: {}, credentials: {} })).toThrow(/settings\.companyDomain: required[\s\S]*credentials\.apiToken: required/);
});
