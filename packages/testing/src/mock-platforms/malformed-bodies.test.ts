/**
 * Bodies no client should send, and some random bytes: every mock must answer them with its
 * platform's own refusal (or GA4's silent 204), never crash into a 500.
 */
import { randomBytes } from 'node:crypto';
import { MockGa4MeasurementProtocol } from './ga4-measurement-protocol';
import { MockMetaConversionsApi } from './meta-conversions-api';
import type { MockPlatform } from './mock-platform';
import { MockPipedrive } from './pipedrive-api';
import { MockTikTokEventsApi } from './tiktok-events-api';
import { MockTwilioMessaging } from './twilio-messaging';
import { MockWebhookReceiver } from './webhook-receiver';

const meta = new MockMetaConversionsApi();
const ga4 = new MockGa4MeasurementProtocol();
const tiktok = new MockTikTokEventsApi();
const twilio = new MockTwilioMessaging();
const webhook = new MockWebhookReceiver({ secret: `whsec_${randomBytes(24).toString('base64')}` });
const pipedrive = new MockPipedrive();
const mocks: Array<MockPlatform<unknown>> = [meta, ga4, tiktok, twilio, webhook, pipedrive] as Array<MockPlatform<unknown>>;

const ODD_BODIES = [
  '',
  'null',
  '[]',
  '"text"',
  '{',
  '{"data": null}',
  '{"data": "[not json"}',
  '{"data": [null, 1, "x"]}',
  '{"data": [{"user_data": [], "event_time": "soon"}]}',
  '{"client_id": 5, "events": "x", "user_properties": []}',
  '{"events": [{"name": 7, "params": [1]}]}',
  '{"event_source": "web", "event_source_id": "P", "data": [{"event": "X", "event_time": 1, "user": "u"}]}',
  '{"name": {"first": "Ada"}, "email": [{"value": 1}, null]}',
  '{"name": "Ada", "email": [{"value": 1}, null, "a@b.c"], "__proto__": {"polluted": true}}',
  'To=%ZZ&Body=%',
  ...Array.from({ length: 10 }, () => randomBytes(64).toString('latin1')),
];

/** Where each platform takes a body, with whatever credentials it wants, so the body itself is what is judged. */
function endpoints(): Array<[MockPlatform<unknown>, string, Record<string, string>]> {
  const twilioAuth = `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`;
  return [
    [meta as MockPlatform<unknown>, `${meta.eventsUrl()}?access_token=${meta.accessToken}`, { 'content-type': 'application/json' }],
    [ga4 as MockPlatform<unknown>, ga4.collectUrl(), { 'content-type': 'application/json' }],
    [ga4 as MockPlatform<unknown>, ga4.collectUrl(true), { 'content-type': 'application/json' }],
    [tiktok as MockPlatform<unknown>, tiktok.trackUrl(), { 'content-type': 'application/json', 'access-token': tiktok.accessToken }],
    [twilio as MockPlatform<unknown>, twilio.messagesUrl(), { 'content-type': 'application/x-www-form-urlencoded', authorization: twilioAuth }],
    [webhook as MockPlatform<unknown>, `${webhook.url}/hook`, { 'content-type': 'application/json' }],
    [pipedrive as MockPlatform<unknown>, `${pipedrive.url}/api/v1/persons?api_token=${pipedrive.apiToken}`, { 'content-type': 'application/json' }],
  ];
}

beforeAll(async () => {
  for (const mock of mocks) await mock.start();
});
afterAll(async () => {
  for (const mock of mocks) await mock.stop();
});

test('no odd body makes any mock fail with a 500', async () => {
  const answers: Array<{ url: string; body: string; status: number }> = [];
  for (const [, url, headers] of endpoints()) {
    for (const body of ODD_BODIES) {
      const response = await fetch(url, { method: 'POST', headers, body });
      await response.arrayBuffer();
      answers.push({ url, body, status: response.status });
    }
  }

  expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const created = pipedrive.persons.all();
  expect(created.map((person) => [person.name, person.email.map((email) => email.value)])).toEqual([['Ada', ['a@b.c']]]);
  expect(created.every((person) => Object.getPrototypeOf(person) === Object.prototype)).toBe(true);
});
