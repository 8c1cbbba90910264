import { createHash } from 'node:crypto';
import { MockMetaConversionsApi } from './meta-conversions-api';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const TOKEN = 'meta-token';
const PIXEL = '1234567890';

let now = Date.UTC(2025, 0, 15, 12);
const meta = new MockMetaConversionsApi({ accessToken: TOKEN, pixelId: PIXEL, clock: () => now });
const nowSeconds = (): number => Math.floor(now / 1000);

/** A website Purchase that Meta accepts. */
function validEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'Purchase',
    event_time: nowSeconds() - 60,
    event_id: 'order-1',
    action_source: 'website',
    event_source_url: 'https://shop.example/checkout',
    user_data: { em: [sha256('ada@example.com')], client_user_agent: 'Mozilla/5.0', client_ip_address: '203.0.113.7' },
    custom_data: { currency: 'EUR', value: 42 },
    ...overrides,
  };
}

/** `token: null` sends none. */
async function post(body: unknown, { token = TOKEN as string | null, pixel = PIXEL, path }: { token?: string | null; pixel?: string; path?: string } = {}) {
  const query = token === null ? '' : `?access_token=${token}`;
  const response = await fetch(`${meta.url}${path ?? `/v21.0/${pixel}/events`}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: Record<string, unknown> } };
}

beforeAll(() => meta.start());
afterAll(() => meta.stop());
beforeEach(() => {
  now += 3 * 24 * 60 * 60 * 1000; // past the 48 h dedup window of the previous test
  meta.recording.clear();
});

test('a valid batch is received, answered as Meta answers, and recorded', async () => {
  const { status, body } = await post({ data: [validEvent()], test_event_code: 'TEST123' });

  expect(status).toBe(200);
  expect(body).toEqual({ events_received: 1, messages: [], fbtrace_id: expect.any(String) });
  expect(meta.recording.events).toEqual([{ pixelId: PIXEL, testEventCode: 'TEST123', event: validEvent() }]);
  expect(meta.recording.accepted[0]).toMatchObject({ method: 'POST', path: `/v21.0/${PIXEL}/events`, query: { access_token: TOKEN } });
});

test('the form-encoded variant (data as a JSON string, token in the body) is accepted too', async () => {
  const form = new URLSearchParams({ data: JSON.stringify([validEvent({ action_source: 'system_generated' })]), access_token: TOKEN });
  const response = await fetch(meta.eventsUrl(), { method: 'POST', body: form });

  expect(response.status).toBe(200);
  expect(meta.recording.events).toHaveLength(1);
});

// Events are built per test: the clock moves between tests.
const eventRules: Array<[string, () => Record<string, unknown>, string, number | undefined]> = [
  ['no event_name', () => validEvent({ event_name: undefined }), 'missing_event_name', undefined],
  ['no event_time', () => validEvent({ event_time: undefined }), 'missing_event_time', undefined],
  ['event_time in milliseconds', () => validEvent({ event_time: Date.UTC(2025, 0, 15) }), 'event_time_in_future', undefined],
  ['event_time older than 7 days', () => validEvent({ event_time: 1 }), 'event_time_too_old', 2804003],
  ['a fractional event_time', () => validEvent({ event_time: 1.5 }), 'invalid_event_time', undefined],
  ['no action_source', () => validEvent({ action_source: undefined }), 'missing_action_source', undefined],
  ['an unknown action_source', () => validEvent({ action_source: 'web' }), 'invalid_action_source', undefined],
  ['a website event without event_source_url', () => validEvent({ event_source_url: undefined }), 'missing_event_source_url', undefined],
  ['a website event without client_user_agent', () => validEvent({ user_data: { em: sha256('a@b.c') } }), 'missing_client_user_agent', undefined],
  ['no user_data', () => validEvent({ user_data: undefined }), 'missing_user_data', undefined],
  ['an unhashed email', () => validEvent({ user_data: { em: 'ada@example.com', client_user_agent: 'UA' } }), 'unhashed_user_data', undefined],
  ['an upper-case hex phone hash', () => validEvent({ user_data: { ph: sha256('4915112345678').toUpperCase(), client_user_agent: 'UA' } }), 'unhashed_user_data', undefined],
  ['user_data without a matching key', () => validEvent({ action_source: 'email', user_data: { country: sha256('de') } }), 'insufficient_customer_information', 2804050],
];

test.each(eventRules)('an event with %s fails the whole batch with code 100', async (_rule, event, reason, subcode) => {
  const { status, body } = await post({ data: [validEvent({ event_id: 'fine' }), event()] });

  expect(status).toBe(400);
  expect(body.error).toMatchObject({ type: 'OAuthException', code: 100, is_transient: false, fbtrace_id: expect.any(String) });
  expect(body.error?.error_subcode).toBe(subcode);
  expect(meta.recording.rejected.map((rejection) => rejection.reason)).toEqual([reason]);
  expect(meta.recording.events).toEqual([]);
});

test.each([
  ['no access token', { data: [validEvent()] }, { token: null }, { code: 104 }, 'missing_access_token'],
  ['a wrong access token', { data: [validEvent()] }, { token: 'nope' }, { code: 190 }, 'invalid_access_token'],
  ['an unknown pixel', { data: [validEvent()] }, { pixel: '999' }, { code: 100, error_subcode: 33, type: 'GraphMethodException' }, 'unknown_pixel'],
  ['an unknown path', { data: [validEvent()] }, { path: '/v21.0/1234567890/nonsense' }, { code: 2500 }, 'unknown_path'],
  ['no data', {}, {}, { code: 100, message: '(#100) The parameter data is required' }, 'missing_data'],
  ['more than 1000 events', { data: Array.from({ length: 1001 }, () => validEvent()) }, {}, { code: 100, error_user_title: 'Too many events' }, 'too_many_events'],
  ['a malformed JSON body', '{"data": [', {}, { code: 100 }, 'malformed_body'],
])('a request with %s is refused with Meta error code and reason', async (_what, body, options, error, reason) => {
  const answer = await post(body, options);

  expect(answer.status).toBe(400);
  expect(answer.body.error).toMatchObject(error);
  expect(meta.recording.rejected[0]?.reason).toBe(reason);
});

test('Meta counts an (event_name, event_id) pair once within 48 hours; events_received still counts every event', async () => {
  const first = await post({ data: [validEvent(), validEvent()] });
  const again = await post({ data: [validEvent(), validEvent({ event_name: 'AddToCart' }), validEvent({ event_id: undefined }), validEvent({ event_id: undefined })] });

  expect(first.body.events_received).toBe(2);
  expect(again.body.events_received).toBe(4);
  expect(meta.recording.events.map(({ event }) => `${event.event_name}/${event.event_id ?? '-'}`)).toEqual(['Purchase/order-1', 'AddToCart/order-1', 'Purchase/-', 'Purchase/-']);
  expect(meta.recording.duplicates).toHaveLength(2);

  now += 49 * 60 * 60 * 1000;
  await post({ data: [validEvent({ event_time: nowSeconds() })] });
  expect(meta.recording.duplicates).toHaveLength(2);
  expect(meta.recording.events).toHaveLength(5);
});
