import { MockGa4MeasurementProtocol } from './ga4-measurement-protocol';

const NOW = Date.UTC(2025, 0, 15, 12);
const ga4 = new MockGa4MeasurementProtocol({ apiSecret: 'secret', measurementId: 'G-ABC123', clock: () => NOW });

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { client_id: '123.456', events: [{ name: 'purchase', params: { currency: 'EUR', value: 42, transaction_id: 'T-1' } }], ...overrides };
}

async function send(body: unknown, { debug = false, secret = 'secret' } = {}) {
  const response = await fetch(`${ga4.url}${debug ? '/debug' : ''}/mp/collect?measurement_id=G-ABC123&api_secret=${secret}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as { validationMessages: Array<Record<string, string>> }) };
}

beforeAll(() => ga4.start());
afterAll(() => ga4.stop());
beforeEach(() => ga4.recording.clear());

test('a valid event is answered 204 and recorded as GA4 would process it', async () => {
  const { status } = await send(payload({ user_id: 'u-1' }));

  expect(status).toBe(204);
  expect(ga4.recording.events).toEqual([
    { stream: 'web', clientId: '123.456', userId: 'u-1', name: 'purchase', params: { currency: 'EUR', value: 42, transaction_id: 'T-1' } },
  ]);
  expect(ga4.recording.dropped).toEqual([]);
});

test('an invalid payload still gets 204 from /mp/collect, and its events are silently dropped', async () => {
  const { status } = await send(payload({ client_id: undefined }));

  expect(status).toBe(204);
  expect(ga4.recording.events).toEqual([]);
  expect(ga4.recording.dropped.map((dropped) => dropped.reason)).toEqual(['VALUE_REQUIRED:client_id']);
});

test('only the invalid events of a payload are dropped', async () => {
  await send(payload({ events: [{ name: 'login' }, { name: 'session_start' }, { name: 'sign_up' }] }));

  expect(ga4.recording.events.map((event) => event.name)).toEqual(['login', 'sign_up']);
  expect(ga4.recording.dropped).toEqual([expect.objectContaining({ event: { name: 'session_start' }, reason: 'NAME_RESERVED:events' })]);
});

test('a wrong api_secret or a malformed body is answered 204 too, and nothing is kept', async () => {
  expect((await send(payload(), { secret: 'wrong' })).status).toBe(204);
  expect((await send('{"client_id": ')).status).toBe(204);

  expect(ga4.recording.events).toEqual([]);
  expect(ga4.recording.dropped.map((dropped) => dropped.reason)).toEqual(['invalid_credentials', 'malformed_payload']);
});

test('the validation server answers an empty list for a valid payload and ignores the api_secret', async () => {
  const { status, body } = await send(payload(), { debug: true, secret: 'anything' });

  expect(status).toBe(200);
  expect(body).toEqual({ validationMessages: [] });
  expect(ga4.recording.events).toEqual([]);
});

const params = (count: number): Record<string, number> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, i]));
const hoursAgoMicros = (hours: number): number => (NOW - hours * 3_600_000) * 1000;

test.each([
  ['no client_id', payload({ client_id: undefined }), 'VALUE_REQUIRED', 'client_id'],
  ['no events', payload({ events: [] }), 'VALUE_REQUIRED', 'events'],
  ['26 events', payload({ events: Array.from({ length: 26 }, () => ({ name: 'login' })) }), 'EXCEEDED_MAX_ENTITIES', 'events'],
  ['an event name starting with an underscore', payload({ events: [{ name: '_badEventName' }] }), 'NAME_INVALID', 'events'],
  ['an event name with a hyphen', payload({ events: [{ name: 'add-to-cart' }] }), 'NAME_INVALID', 'events'],
  ['a 41-character event name', payload({ events: [{ name: `e${'x'.repeat(40)}` }] }), 'VALUE_OUT_OF_BOUNDS', 'events'],
  ['a reserved event name', payload({ events: [{ name: 'first_visit' }] }), 'NAME_RESERVED', 'events'],
  ['a reserved event name prefix', payload({ events: [{ name: 'google_thing' }] }), 'NAME_RESERVED', 'events'],
  ['26 params', payload({ events: [{ name: 'login', params: params(26) }] }), 'EXCEEDED_MAX_ENTITIES', 'events.params'],
  ['a param with a reserved prefix', payload({ events: [{ name: 'login', params: { firebase_screen: 'x' } }] }), 'NAME_RESERVED', 'events.params'],
  ['a param name over 40 characters', payload({ events: [{ name: 'login', params: { [`p${'x'.repeat(40)}`]: 1 } }] }), 'NAME_INVALID', 'events.params'],
  ['a param value over 100 characters', payload({ events: [{ name: 'login', params: { method: 'x'.repeat(101) } }] }), 'VALUE_OUT_OF_BOUNDS', 'events.params'],
  ['an object param value', payload({ events: [{ name: 'login', params: { method: { nested: true } } }] }), 'VALUE_INVALID', 'events.params'],
  ['timestamp_micros 73 hours ago', payload({ timestamp_micros: hoursAgoMicros(73) }), 'VALUE_OUT_OF_BOUNDS', 'timestamp_micros'],
  ['timestamp_micros given in milliseconds', payload({ timestamp_micros: NOW }), 'VALUE_OUT_OF_BOUNDS', 'timestamp_micros'],
  ['a user property name over 24 characters', payload({ user_properties: { [`u${'x'.repeat(24)}`]: { value: 'a' } } }), 'NAME_INVALID', 'user_properties'],
  ['a reserved user property', payload({ user_properties: { first_open_time: { value: '1' } } }), 'NAME_RESERVED', 'user_properties'],
  ['a user property value over 36 characters', payload({ user_properties: { tier: { value: 'x'.repeat(37) } } }), 'VALUE_OUT_OF_BOUNDS', 'user_properties'],
])('the validation server reports %s', async (_what, body, validationCode, fieldPath) => {
  const { body: answer } = await send(body, { debug: true });

  expect(answer?.validationMessages).toEqual([{ fieldPath, description: expect.any(String), validationCode }]);
});

test('the long-value exceptions (page_location 1000) and 72 hours of backdating are valid', async () => {
  const body = payload({ timestamp_micros: hoursAgoMicros(71), events: [{ name: 'page_view', params: { page_location: `https://x.example/${'a'.repeat(900)}` } }] });

  expect((await send(body, { debug: true })).body).toEqual({ validationMessages: [] });
});

test('the validation server reports a malformed body as VALUE_INVALID', async () => {
  const { body } = await send('{"client_id": ', { debug: true });

  expect(body?.validationMessages).toEqual([expect.objectContaining({ validationCode: 'VALUE_INVALID' })]);
});
