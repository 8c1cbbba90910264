/** Every fault type against every mock, over real HTTP: what a delivery client will meet. */
import { createHash, createHmac } from 'node:crypto';
import { MockGa4MeasurementProtocol } from './ga4-measurement-protocol';
import { MockMetaConversionsApi } from './meta-conversions-api';
import type { MockPlatform } from './mock-platform';
import { MockPipedrive } from './pipedrive-api';
import { MockTikTokEventsApi } from './tiktok-events-api';
import { MockTwilioMessaging } from './twilio-messaging';
import { MockWebhookReceiver } from './webhook-receiver';

let now = Date.now();
const clock = (): number => now;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const WEBHOOK_KEY = Buffer.from('a webhook signing key of 32 bytes');

interface Case {
  mock: MockPlatform<unknown>;
  /** A request the healthy platform answers with success. */
  valid(): [string, RequestInit];
  /** What the platform's body for an injected 5xx looks like. */
  serverErrorBody: unknown;
}

const meta = new MockMetaConversionsApi({ clock });
const ga4 = new MockGa4MeasurementProtocol({ clock });
const tiktok = new MockTikTokEventsApi({ clock });
const twilio = new MockTwilioMessaging({ clock });
const webhook = new MockWebhookReceiver({ secret: `whsec_${WEBHOOK_KEY.toString('base64')}`, clock });
const pipedrive = new MockPipedrive({ clock });

const cases: Array<[string, Case]> = [
  [
    'Meta',
    {
      mock: meta as MockPlatform<unknown>,
      valid: () => [
        `${meta.eventsUrl()}?access_token=${meta.accessToken}`,
        json({ data: [{ event_name: 'Lead', event_time: Math.floor(now / 1000), action_source: 'system_generated', user_data: { em: sha256('a@b.c') } }] }),
      ],
      serverErrorBody: { error: expect.objectContaining({ type: 'OAuthException', code: 2, is_transient: true }) },
    },
  ],
  ['GA4', { mock: ga4 as MockPlatform<unknown>, valid: () => [ga4.collectUrl(), json({ client_id: '1.2', events: [{ name: 'login' }] })], serverErrorBody: '' }],
  [
    'TikTok',
    {
      mock: tiktok as MockPlatform<unknown>,
      valid: () => [
        tiktok.trackUrl(),
        json({ event_source: 'web', event_source_id: 'PIXEL', data: [{ event: 'ViewContent', event_time: Math.floor(now / 1000) }] }, { 'access-token': tiktok.accessToken }),
      ],
      serverErrorBody: expect.objectContaining({ code: 50000 }),
    },
  ],
  [
    'Twilio',
    {
      mock: twilio as MockPlatform<unknown>,
      valid: () => [
        twilio.messagesUrl(),
        {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ To: '+4915112345678', From: '+15005550006', Body: 'hi' }).toString(),
        },
      ],
      serverErrorBody: expect.objectContaining({ code: 20500, more_info: expect.any(String) }),
    },
  ],
  [
    'webhook receiver',
    {
      mock: webhook as MockPlatform<unknown>,
      valid: () => {
        const [id, timestamp, body] = [`msg_${now}_${Math.random()}`, Math.floor(now / 1000), '{"type":"ping"}'];
        const signature = `v1,${createHmac('sha256', WEBHOOK_KEY).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
        return [`${webhook.url}/hook`, json(JSON.parse(body), { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature })];
      },
      serverErrorBody: { error: 'server_error' },
    },
  ],
  [
    'Pipedrive',
    {
      mock: pipedrive as MockPlatform<unknown>,
      valid: () => [`${pipedrive.url}/api/v1/persons/search?term=ada&api_token=${pipedrive.apiToken}`, {}],
      serverErrorBody: expect.objectContaining({ success: false, errorCode: 500 }),
    },
  ],
];

function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

beforeAll(async () => {
  for (const [, { mock }] of cases) await mock.start();
});
afterAll(async () => {
  for (const [, { mock }] of cases) await mock.stop();
});

describe.each(cases)('%s mock', (_name, { mock, valid, serverErrorBody }) => {
  beforeEach(() => {
    mock.faults.recover();
    mock.recording.clear();
  });

  const send = async (init: RequestInit = {}): Promise<Response> => {
    const [url, base] = valid();
    return fetch(url, { ...base, ...init });
  };

  test('failNext answers 500, then 503, in the platform’s error body, then the platform is healthy', async () => {
    mock.faults.failNext(1).failNext(1, 503);

    const first = await send();
    const second = await send();
    const third = await send();

    expect([first.status, second.status]).toEqual([500, 503]);
    expect(await bodyOf(first)).toEqual(serverErrorBody);
    expect(third.ok).toBe(true);
    expect(mock.recording.faulted.map(({ fault }) => fault)).toEqual([
      { kind: 'server_error', status: 500 },
      { kind: 'server_error', status: 503 },
    ]);
  });

  test('rateLimitNext answers 429 with Retry-After in seconds', async () => {
    mock.faults.rateLimitNext(1, 7);

    const limited = await send();

    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await send()).ok).toBe(true);
  });

  test('hangNext never answers, so the client’s timeout fires; the next request is served', async () => {
    mock.faults.hangNext(1);

    await expect(send({ signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await send()).ok).toBe(true);
    expect(mock.recording.faulted).toHaveLength(1);
  });

  test('delayNext answers normally, only later', async () => {
    mock.faults.delayNext(1, 150);

    const started = performance.now();
    const slow = await send();

    expect(slow.ok).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await expect(send({ signal: AbortSignal.timeout(50) })).resolves.toMatchObject({ ok: true });
  });

  test('resetNext drops the connection without an answer', async () => {
    mock.faults.resetNext(1);

    await expect(send()).rejects.toThrow('fetch failed');
    expect((await send()).ok).toBe(true);
  });

  test('recover() ends queued faults and a running outage at once', async () => {
    mock.faults.failNext(5).failFor(60_000);

    mock.faults.recover();

    expect((await send()).ok).toBe(true);
  });

  test('failFor fails every request for a while, then the platform recovers by itself', async () => {
    mock.faults.failFor(1_000);

    expect((await send()).status).toBe(503);
    now += 999;
    expect((await send()).status).toBe(503);
    now += 1;
    expect((await send()).ok).toBe(true);
  });
});
