/**
 * The mock destinations over real HTTP: the console lists the four mocks with what reaches them,
 * events sent to a mock (through its port forwarder) show up summarised, and faults programmed
 * through the console reach the next requests. Ports chosen by the OS (port 0).
 */
import { standardWebhookSignature } from '../standard-webhooks';
import type { PlatformOverview } from './control-server';
import { startMockDestinations, type MockDestinations } from './mock-destinations';

let mocks: MockDestinations;
beforeAll(async () => {
  mocks = await startMockDestinations({ port: 0 });
});
afterAll(() => mocks.stop());

async function overview(): Promise<PlatformOverview[]> {
  const res = await fetch(mocks.consoleUrl);
  expect(res.status).toBe(200);
  return ((await res.json()) as { platforms: PlatformOverview[] }).platforms;
}

async function platform(name: string): Promise<PlatformOverview> {
  const p = (await overview()).find((x) => x.name === name);
  if (p === undefined) throw new Error(`no ${name}`);
  return p;
}

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${mocks.consoleUrl}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: res.headers };
}

/** One Meta event sent the way the meta_capi adapter sends it, with the settings the console gives. */
async function sendToMeta(eventId: string): Promise<Response> {
  const { destination } = await platform('meta');
  const body = {
    data: [{ event_name: 'Purchase', event_time: Math.floor(Date.now() / 1000), event_id: eventId, action_source: 'system_generated', user_data: { external_id: ['a'.repeat(64)] }, custom_data: { value: 12.5, currency: 'USD' } }],
    access_token: destination.credentials.accessToken,
  };
  return fetch(`${String(destination.settings.baseUrl)}/v21.0/${String(destination.settings.pixelId)}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

it('lists the four mocks with their URLs and the destination settings that reach them', async () => {
  const list = await overview();
  expect(list.map((p) => [p.name, p.type])).toEqual([
    ['webhook', 'webhook'],
    ['meta', 'meta_capi'],
    ['ga4', 'ga4'],
    ['tiktok', 'tiktok'],
  ]);
  expect(list.map((p) => p.url)).toEqual(mocks.platforms.map((p) => p.url));
  for (const p of list) expect(p).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), accepted: expect.any(Number), events: expect.any(Array) });
  expect(list[0]!.destination.settings.url).toBe(`${list[0]!.url}/stratum/events`);
  expect(list[1]!.destination).toMatchObject({ type: 'meta_capi', settings: { baseUrl: list[1]!.url, pixelId: expect.any(String) }, credentials: { accessToken: expect.any(String) } });
});

it('shows what a mock accepted and deduplicated, summarised, and the whole recording per mock', async () => {
  expect((await sendToMeta('order-1')).status).toBe(200);
  expect((await sendToMeta('order-1')).status).toBe(200);
  const meta = await platform('meta');
  expect(meta).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0 });
  expect(meta.events).toEqual([{ messageId: 'order-1', event: 'Purchase', userId: null, anonymousId: null, profileId: null, detail: 'value 12.5 USD' }]);
  const full = await control('GET', '/meta/events');
  expect(full.body).toMatchObject({ name: 'meta', requests: 2, events: [{ messageId: 'order-1', raw: { pixelId: expect.any(String) } }], duplicates: [{ messageId: 'order-1' }] });
  expect(await control('DELETE', '/meta/events')).toMatchObject({ status: 204 });
  expect(await platform('meta')).toMatchObject({ accepted: 0, duplicates: 0, events: [] });
});

it('summarises a signed webhook with its messageId, user and profile', async () => {
  const { destination } = await platform('webhook');
  const body = JSON.stringify({ type: 'event.track', data: { messageId: 'm-1', type: 'track', event: 'Order Completed', userId: 'u-1', anonymousId: 'a-1', properties: { revenue: 42, currency: 'EUR' }, profile: { id: 'prof_1' } } });
  const timestamp = Math.floor(Date.now() / 1000);
  const secret = (destination.credentials.secrets as string[])[0]!;
  const res = await fetch(String(destination.settings.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': standardWebhookSignature(secret, 'msg_1', timestamp, body) },
    body,
  });
  expect(res.status).toBe(204);
  expect((await platform('webhook')).events).toEqual([{ messageId: 'm-1', event: 'Order Completed', userId: 'u-1', anonymousId: 'a-1', profileId: 'prof_1', detail: 'value 42 EUR' }]);
});

it('programs faults that the next requests meet, through the forwarded port, until recover', async () => {
  expect(await control('POST', '/meta/faults', { rateLimitNext: 1, retryAfterSeconds: 3 })).toMatchObject({ status: 200, body: { fault: expect.stringContaining('429') } });
  const limited = await sendToMeta('order-2');
  expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
  expect((await sendToMeta('order-2')).status).toBe(200);

  expect((await control('POST', '/meta/faults', { failForMs: 30_000, status: 503 })).status).toBe(200);
  expect((await sendToMeta('order-3')).status).toBe(503);
  expect((await sendToMeta('order-3')).status).toBe(503);
  expect(await control('POST', '/meta/recover')).toMatchObject({ status: 200, body: { recovered: true } });
  expect((await sendToMeta('order-3')).status).toBe(200);
  expect(await platform('meta')).toMatchObject({ faulted: 3, accepted: 2 });

  // A reset connection at the mock is a reset at the forwarded port too.
  expect((await control('POST', '/tiktok/faults', { resetNext: 1 })).status).toBe(200);
  const { url } = await platform('tiktok');
  await expect(fetch(`${url}/open_api/v1.3/event/track/`, { method: 'POST', body: '{}' })).rejects.toThrow();
});

it('refuses unknown mocks, paths, methods and fault bodies with a JSON reason', async () => {
  expect(await control('GET', '/nope')).toMatchObject({ status: 404, body: { error: expect.stringContaining('webhook, meta, ga4, tiktok') } });
  expect(await control('GET', '/meta/nope')).toMatchObject({ status: 404 });
  const wrongMethod = await control('GET', '/meta/faults');
  expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'POST']);
  expect(await control('POST', '/meta/faults', { failNext: 0 })).toMatchObject({ status: 400, body: { error: expect.stringContaining('positive integer') } });
  const notJson = await fetch(`${mocks.consoleUrl}/meta/faults`, { method: 'POST', body: '{' });
  expect(notJson.status).toBe(400);
  expect((await control('POST', '/')).status).toBe(405);
});
