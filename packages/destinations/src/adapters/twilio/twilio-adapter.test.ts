import { DestinationConfigError } from '../errors';
import { NOW, PHONE, jsonResponse, resolvedEvent, type EventInput } from '../resolved-event.fixture';
import type { PreparedEvent } from '../types';
import { twilioSmsAdapter, type SmsPayload } from './twilio-adapter';

const ACCOUNT = `AC${'a1'.repeat(16)}`;
const settings = {
  accountSid: ACCOUNT,
  from: '+15005550006',
  templates: { 'Order Completed': 'Hi {{traits.first_name}}, order {{properties.order_id}} is confirmed.' },
  statusCallbackUrl: 'https://gw.stratum.example/twilio/status?tenant=tn_1',
  quietHours: { start: '21:00', end: '08:00' },
  defaultTimezone: 'Europe/London',
};
const config = twilioSmsAdapter.parseConfig({ settings, credentials: { authToken: 'tw-auth-token' } });
// NOW is 09:30 UTC, 10:30 in Berlin: outside quiet hours.
const ctx = { destinationId: 'dst_sms_1', now: NOW };

function prepare(input: EventInput = {}, now = NOW) {
  return twilioSmsAdapter.prepare(resolvedEvent(input), config, { ...ctx, now });
}

it('texts the profile phone with the rendered template, From, Basic auth and a status callback that carries the key', () => {
  const p = prepare() as PreparedEvent<SmsPayload>;
  expect(p.payload).toEqual({ to: PHONE, body: 'Hi Ada, order ord-50314 is confirmed.' });
  const [request] = twilioSmsAdapter.buildRequests([p], config, { now: NOW });
  expect(request!.url).toBe(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
  expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:tw-auth-token`).toString('base64')}`);
  expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  const form = Object.fromEntries(new URLSearchParams(request!.body!));
  expect(form).toEqual({
    To: PHONE,
    Body: 'Hi Ada, order ord-50314 is confirmed.',
    From: '+15005550006',
    StatusCallback: `https://gw.stratum.example/twilio/status?tenant=tn_1&stratum_key=${p.idempotencyKey}`,
  });
  expect(request!.secrets).toContain('tw-auth-token');
});

it('uses a Messaging Service and an API key when configured so', () => {
  const viaService = twilioSmsAdapter.parseConfig({
    settings: { ...settings, from: undefined, messagingServiceSid: `MG${'0'.repeat(32)}` },
    credentials: { apiKeySid: `SK${'f'.repeat(32)}`, apiKeySecret: 'key-secret' },
  });
  const [request] = twilioSmsAdapter.buildRequests([prepare() as PreparedEvent<SmsPayload>], viaService, { now: NOW });
  expect(new URLSearchParams(request!.body!).get('MessagingServiceSid')).toBe(`MG${'0'.repeat(32)}`);
  expect(new URLSearchParams(request!.body!).has('From')).toBe(false);
  expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`SK${'f'.repeat(32)}:key-secret`).toString('base64')}`);
  expect(request!.url).toContain(`/Accounts/${ACCOUNT}/`);
});

describe('events that are not texted', () => {
  it.each<[string, EventInput, string, string]>([
    ['a profile on the do-not-contact list', { doNotContact: true }, 'filtered', 'do_not_contact'],
    ['an event without a template', { event: 'Product Viewed' }, 'filtered', 'event_not_triggering'],
    ['an identify', { type: 'identify', event: null }, 'filtered', 'event_type_not_supported'],
    ['a profile whose phone was hashed away', { profileTraits: { first_name: 'Ada' }, context: {} }, 'invalid', 'no_phone'],
    ['a phone that is not a number', { profileTraits: { phone: '12' } }, 'invalid', 'invalid_phone'],
  ])('%s', (_what, input, outcome, reason) => {
    expect(prepare(input)).toMatchObject({ kind: 'skip', outcome, reason });
  });

  it('a template that renders to nothing, or to more than 1600 characters', () => {
    const cfg = (template: string) => twilioSmsAdapter.parseConfig({ settings: { ...settings, templates: { 'Order Completed': template } }, credentials: { authToken: 't' } });
    expect(twilioSmsAdapter.prepare(resolvedEvent(), cfg('{{traits.nickname}}'), ctx)).toMatchObject({ outcome: 'invalid', reason: 'body_empty' });
    expect(twilioSmsAdapter.prepare(resolvedEvent({ properties: { note: 'x'.repeat(1600) } }), cfg('Hi {{properties.note}}'), ctx)).toMatchObject({ outcome: 'invalid', reason: 'body_too_long' });
  });
});

describe('quiet hours in the recipient time zone', () => {
  const evening = Date.parse('2026-11-24T21:30:00Z');

  it("defers to 08:00 at the recipient's, from the profile time zone first", () => {
    const skip = prepare({ profileTraits: { first_name: 'Ada', phone: PHONE, timezone: 'Europe/Berlin' } }, evening);
    expect(skip).toMatchObject({ kind: 'skip', outcome: 'deferred', reason: 'quiet_hours', notBefore: Date.parse('2026-11-25T07:00:00Z') });
  });

  it('then the event context, then the destination default', () => {
    // 21:30 UTC: 16:30 in New York (send), 21:30 in London (quiet).
    expect(prepare({ profileTraits: { phone: PHONE }, context: { timezone: 'America/New_York' } }, evening).kind).toBe('prepared');
    expect(prepare({ profileTraits: { phone: PHONE }, context: {} }, evening)).toMatchObject({ outcome: 'deferred', notBefore: Date.parse('2026-11-25T08:00:00Z') });
    expect(prepare({ profileTraits: { phone: PHONE, timezone: 'Not/AZone' }, context: {} }, evening)).toMatchObject({ outcome: 'deferred' });
  });

  it('sends once the deferred attempt comes back at notBefore', () => {
    const first = prepare({}, evening);
    expect(first.kind === 'skip' && first.notBefore).toBe(Date.parse('2026-11-25T07:00:00Z'));
    expect(prepare({}, Date.parse('2026-11-25T07:00:00Z')).kind).toBe('prepared');
  });
});

describe('classifying Twilio answers', () => {
  const [request] = twilioSmsAdapter.buildRequests([prepare() as PreparedEvent<SmsPayload>], config, { now: NOW });
  const error = (status: number, code: number, headers = {}) =>
    twilioSmsAdapter.classify(jsonResponse(status, { code, message: 'msg', more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers), request!, { now: NOW });

  it('201 is delivered to Twilio, with the message SID', () => {
    expect(twilioSmsAdapter.classify(jsonResponse(201, { sid: `SM${'1'.repeat(32)}`, status: 'queued' }), request!, { now: NOW })).toMatchObject({ outcome: 'delivered', externalId: `SM${'1'.repeat(32)}` });
  });

  it.each([
    [400, 21610, 'opted_out', 'opted_out', false],
    [400, 21211, 'invalid', 'invalid_recipient', false],
    [400, 21614, 'invalid', 'invalid_recipient', false],
    [401, 20003, 'failed', 'auth_failed', false],
    [429, 20429, 'retry', 'rate_limited', true],
    [400, 21408, 'failed', 'permission_denied', false],
    [400, 21602, 'invalid', 'invalid_payload', false],
    [500, 20500, 'retry', 'http_5xx', true],
  ])('HTTP %d with code %d is %s (%s)', (status, code, outcome, errorCode, retryable) => {
    const c = error(status, code);
    expect([c.outcome, c.error?.code, c.error?.retryable]).toEqual([outcome, errorCode, retryable]);
    expect(c.error?.message).toContain(`Twilio ${code}`);
  });

  it('honours Retry-After on 429', () => {
    expect(error(429, 20429, { 'Retry-After': '3' }).error?.retryAfterMs).toBe(3000);
    expect(twilioSmsAdapter.classify({ response: { status: 429, headers: {}, body: '' } }, request!, { now: NOW }).error?.code).toBe('http_429');
  });
});

it('lists every configuration problem', () => {
  let error: unknown;
  try {
    twilioSmsAdapter.parseConfig({
      settings: { accountSid: 'AC123', from: '+1', messagingServiceSid: 'MG1', templates: { X: '{{context.ip}}' }, quietHours: { start: '9pm', end: '08:00' }, defaultTimezone: 'Nowhere' },
      credentials: {},
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DestinationConfigError);
  expect((error as DestinationConfigError).problems.map((p) => p.path)).toEqual([
    'settings.accountSid',
    'credentials',
    'settings.templates.X',
    'settings.defaultTimezone',
    'settings.messagingServiceSid',
    'settings.from',
    'settings.quietHours',
  ]);
});
