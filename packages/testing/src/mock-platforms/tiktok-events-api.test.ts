import { createHash } from 'node:crypto';
import { MockTikTokEventsApi } from './tiktok-events-api';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const NOW = Date.UTC(2025, 0, 15, 12);
const tiktok = new MockTikTokEventsApi({ accessToken: 'tt-token', eventSourceIds: ['PIXEL1'], clock: () => NOW });

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: 'CompletePayment',
    event_time: Math.floor(NOW / 1000) - 30,
    event_id: 'order-1',
    user: { email: sha256('ada@example.com'), phone: [sha256('+4915112345678')], external_id: sha256('u-1') },
    properties: { currency: 'EUR', value: 42 },
    page: { url: 'https://shop.example/checkout' },
    ...overrides,
  };
}

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { event_source: 'web', event_source_id: 'PIXEL1', data: [event()], ...overrides };
}

/** `token: null` sends no Access-Token header. */
async function track(payload: unknown, token: string | null = 'tt-token') {
  const response = await fetch(tiktok.trackUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { 'access-token': token }) },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as { code: number; message: string; request_id: string } };
}

beforeAll(() => tiktok.start());
afterAll(() => tiktok.stop());
beforeEach(() => tiktok.recording.clear());

test('a valid event is answered code 0 and recorded', async () => {
  const { status, body: answer } = await track(body({ test_event_code: 'TEST1' }));

  expect(status).toBe(200);
  expect(answer).toEqual({ code: 0, message: 'OK', request_id: expect.any(String), data: {} });
  expect(tiktok.recording.events).toEqual([{ eventSource: 'web', eventSourceId: 'PIXEL1', testEventCode: 'TEST1', event: event() }]);
});

test.each([
  ['no Access-Token', body(), null, 40105, 'missing_access_token'],
  ['a wrong Access-Token', body(), 'nope', 40105, 'invalid_access_token'],
  ['an event_source_id the token may not use', body({ event_source_id: 'OTHER' }), 'tt-token', 40001, 'event_source_not_permitted'],
  ['an unknown event_source', body({ event_source: 'website' }), 'tt-token', 40002, 'invalid_event_source'],
  ['no event_source_id', body({ event_source_id: undefined }), 'tt-token', 40002, 'missing_event_source_id'],
  ['empty data', body({ data: [] }), 'tt-token', 40002, 'missing_data'],
  ['1001 events', body({ data: Array.from({ length: 1001 }, () => event()) }), 'tt-token', 40002, 'too_many_events'],
  ['an event without a name', body({ data: [event({ event: undefined })] }), 'tt-token', 40002, 'missing_event'],
  ['an event without event_time', body({ data: [event({ event_time: undefined })] }), 'tt-token', 40002, 'missing_event_time'],
  ['event_time in milliseconds', body({ data: [event({ event_time: NOW })] }), 'tt-token', 40002, 'invalid_event_time'],
  ['an unhashed email', body({ data: [event({ user: { email: 'ada@example.com' } })] }), 'tt-token', 40002, 'unhashed_user_data'],
  ['one unhashed phone in a list', body({ data: [event({ user: { phone: [sha256('1'), '+4915112345678'] } })] }), 'tt-token', 40002, 'unhashed_user_data'],
  ['a malformed JSON body', '{"data": [', 'tt-token', 40002, 'malformed_body'],
])('a request with %s is answered HTTP 200 with a non-zero code', async (_what, payload, token, code, reason) => {
  const { status, body: answer } = await track(payload, token);

  expect(status).toBe(200);
  expect(answer).toEqual({ code, message: expect.any(String), request_id: expect.any(String), data: {} });
  expect(tiktok.recording.rejected.map((rejection) => rejection.reason)).toEqual([reason]);
  expect(tiktok.recording.events).toEqual([]);
});

test('TikTok counts an event_id once per event name and source', async () => {
  // An id no other test used: deduplication outlives recording.clear(), as TikTok's does.
  const repeatable = (overrides: Record<string, unknown> = {}) => event({ event_id: 'dedup-1', ...overrides });
  await track(body({ data: [repeatable(), repeatable()] }));
  await track(body({ data: [repeatable(), repeatable({ event: 'AddToCart' }), repeatable({ event_id: undefined }), repeatable({ event_id: undefined })] }));

  expect(tiktok.recording.events.map((recorded) => `${recorded.event.event}/${recorded.event.event_id ?? '-'}`)).toEqual([
    'CompletePayment/dedup-1',
    'AddToCart/dedup-1',
    'CompletePayment/-',
    'CompletePayment/-',
  ]);
  expect(tiktok.recording.duplicates).toHaveLength(2);
});
