import { MockPipedrive } from './pipedrive-api';

const TOKEN = 'pd-token';
const pipedrive = new MockPipedrive({ apiToken: TOKEN, clock: () => Date.UTC(2025, 0, 15, 12) });

interface Answer {
  status: number;
  body: { success: boolean; data?: unknown; error?: string; errorCode?: number; additional_data?: unknown };
}

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Answer> {
  const separator = path.includes('?') ? '&' : '?';
  const url = `${pipedrive.url}${path}${token === null ? '' : `${separator}api_token=${token}`}`;
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const searchEmail = (email: string) => call('GET', `/api/v1/persons/search?term=${encodeURIComponent(email)}&fields=email&exact_match=true`);
const idOf = (answer: Answer): number => (answer.body.data as { id: number }).id;

beforeAll(() => pipedrive.start());
afterAll(() => pipedrive.stop());
beforeEach(() => pipedrive.recording.clear());

test('without a valid api_token every call is 401 "unauthorized access"', async () => {
  for (const token of [null, 'wrong']) {
    const answer = await call('GET', '/api/v1/persons/search?term=ada', undefined, token);
    expect(answer).toEqual({ status: 401, body: expect.objectContaining({ success: false, error: 'unauthorized access', errorCode: 401 }) });
  }
  expect(pipedrive.recording.rejected.map((rejection) => rejection.reason)).toEqual(['unauthorized_access', 'unauthorized_access']);
});

test('the x-api-token header authenticates too', async () => {
  const response = await fetch(`${pipedrive.url}/api/v1/persons/search?term=nobody@example.com&exact_match=true`, { headers: { 'x-api-token': TOKEN } });
  expect(response.status).toBe(200);
});

test('an upsert by email (search, then create or update) leaves one person per email', async () => {
  const email = 'ada@example.com';
  expect((await searchEmail(email)).body.data).toEqual({ items: [] });

  const created = await call('POST', '/api/v1/persons', { name: 'Ada Lovelace', email: [{ value: email, primary: true, label: 'work' }] });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ success: true, data: { name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', email: [{ value: email, primary: true, label: 'work' }] } });

  const found = await searchEmail(email.toUpperCase());
  expect(found.body.data).toEqual({ items: [{ result_score: expect.any(Number), item: expect.objectContaining({ id: idOf(created), type: 'person', emails: [email] }) }] });

  const updated = await call('PUT', `/api/v1/persons/${idOf(created)}`, { name: 'Ada King', phone: '+4915112345678' });
  expect(updated.body).toMatchObject({ success: true, data: { name: 'Ada King', phone: [{ value: '+4915112345678', primary: true }] } });

  expect(pipedrive.personsWithEmail(email)).toHaveLength(1);
  expect(pipedrive.recording.events.map((write) => write.operation)).toEqual(['create', 'update']);
});

test('creating a second person with a known email makes a duplicate, as Pipedrive does', async () => {
  await call('POST', '/api/v1/persons', { name: 'Grace', email: 'grace@example.com' });
  await call('POST', '/api/v1/persons', { name: 'Grace Hopper', email: 'grace@example.com' });

  expect(pipedrive.personsWithEmail('grace@example.com')).toHaveLength(2);
});

test('a merge keeps merge_with_id, fills its gaps, combines emails, and removes the other person', async () => {
  const kept = idOf(await call('POST', '/api/v1/persons', { name: 'Alan Turing', email: 'alan@example.com' }));
  const other = idOf(await call('POST', '/api/v1/persons', { name: 'A. Turing', email: ['turing@example.org', 'alan@example.com'], phone: '+441234567890' }));

  const merged = await call('PUT', `/api/v1/persons/${other}/merge`, { merge_with_id: kept });

  expect(merged.status).toBe(200);
  expect(merged.body.data).toMatchObject({
    id: kept,
    name: 'Alan Turing',
    email: [{ value: 'alan@example.com', primary: true }, { value: 'turing@example.org', primary: false }],
    phone: [{ value: '+441234567890' }],
  });
  expect((await call('GET', `/api/v1/persons/${other}`)).body).toMatchObject({ success: false, errorCode: 404 });
  expect(pipedrive.recording.events.at(-1)).toMatchObject({ operation: 'merge', mergedId: other, person: { id: kept } });
});

test.each([
  ['search with a one-character term', 'GET', '/api/v1/persons/search?term=a', undefined, 400, 'invalid_term'],
  ['search in an unknown field', 'GET', '/api/v1/persons/search?term=ada&fields=address', undefined, 400, 'invalid_fields'],
  ['create without a name', 'POST', '/api/v1/persons', { email: 'x@example.com' }, 400, 'missing_name'],
  ['create with malformed JSON', 'POST', '/api/v1/persons', '{"name": ', 400, 'malformed_body'],
  ['update an unknown person', 'PUT', '/api/v1/persons/99999', { name: 'X' }, 404, 'person_not_found'],
  ['merge without merge_with_id', 'PUT', '/api/v1/persons/1/merge', {}, 400, 'missing_merge_with_id'],
  ['merge a person with itself', 'PUT', '/api/v1/persons/1/merge', { merge_with_id: 1 }, 400, 'merge_with_itself'],
  ['merge an unknown person', 'PUT', '/api/v1/persons/99999/merge', { merge_with_id: 1 }, 404, 'person_not_found'],
  ['an unknown endpoint', 'GET', '/api/v1/deals', undefined, 404, 'unknown_path'],
])('%s is refused with Pipedrive’s error body', async (_what, method, path, body, status, reason) => {
  const answer = await call(method, path, body);

  expect(answer).toEqual({ status, body: expect.objectContaining({ success: false, error: expect.any(String), errorCode: status, data: null }) });
  expect(pipedrive.recording.rejected.map((rejection) => rejection.reason)).toEqual([reason]);
});
