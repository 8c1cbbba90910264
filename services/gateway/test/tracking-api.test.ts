/**
 * The Segment tracking API over real HTTP: what each route accepts and the RawEvents it hands
 * the publisher (server-owned fields, messageIds, batch defaults, request ids, compression).
 */
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { createLogger } from '@stratum/observability';
import type { RawEvent } from '@stratum/schemas';
import { ACME_KEY, basicAuth, post, startTestGateway, trackCall, type TestGateway } from './test-gateway';

const RECEIVED_AT = Date.parse('2025-03-01T12:00:00.000Z');
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ now: () => RECEIVED_AT });
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.publisher.calls.length = 0;
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The one event the last request published. */
function lastEvent(): RawEvent {
  expect(gateway.publisher.calls).toHaveLength(1);
  expect(gateway.publisher.calls[0]).toHaveLength(1);
  return gateway.publisher.calls[0]![0]!;
}

describe('single-event routes', () => {
  it('accepts a track call with 200 {"success":true} and publishes the RawEvent as sent', async () => {
    const answer = await post(gateway, '/v1/track', {
      messageId: 'm-1',
      userId: 'u-1',
      anonymousId: 'a-1',
      event: 'Order Completed',
      properties: { total: 42.5, items: [{ sku: 'X' }] },
      context: { ip: '203.0.113.9', library: { name: 'analytics-node', version: '3.1.0' } },
      integrations: { All: true },
      timestamp: '2025-03-01T11:59:58.000Z',
      originalTimestamp: '2025-03-01T11:59:57.000Z',
      sentAt: '2025-03-01T11:59:59.000Z',
      schemaVersion: '1.2.0',
    });
    expect(answer).toMatchObject({ status: 200, body: { success: true } });
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const event = lastEvent();
    expect(event).toEqual({
      tenantId: 'acme',
      sourceId: 'web',
      channel: 'http',
      messageId: 'm-1',
      type: 'track',
      receivedAt: RECEIVED_AT,
      sentAt: '2025-03-01T11:59:59.000Z',
      timestamp: '2025-03-01T11:59:58.000Z',
      originalTimestamp: '2025-03-01T11:59:57.000Z',
      userId: 'u-1',
      anonymousId: 'a-1',
      event: 'Order Completed',
      name: null,
      groupId: null,
      previousId: null,
      properties: '{"total":42.5,"items":[{"sku":"X"}]}',
      traits: null,
      context: '{"ip":"203.0.113.9","library":{"name":"analytics-node","version":"3.1.0"}}',
      integrations: '{"All":true}',
      schemaVersion: '1.2.0',
      requestId: answer.headers.get('x-request-id'),
    });
  });

  it.each([
    ['identify', { userId: 'u-1', traits: { email: 'a@example.com' } }, { traits: '{"email":"a@example.com"}' }],
    ['page', { anonymousId: 'a-1', name: 'Pricing', properties: { path: '/pricing' } }, { name: 'Pricing', properties: '{"path":"/pricing"}' }],
    ['screen', { userId: 'u-1', name: 'Home' }, { name: 'Home' }],
    ['group', { userId: 'u-1', groupId: 'g-1', traits: { plan: 'pro' } }, { groupId: 'g-1', traits: '{"plan":"pro"}' }],
    ['alias', { userId: 'u-2', previousId: 'a-1' }, { previousId: 'a-1', userId: 'u-2' }],
  ])('accepts %s calls, typed by the route', async (type, body, expected) => {
    const answer = await post(gateway, `/v1/${type}`, body);
    expect(answer.status).toBe(200);
    expect(lastEvent()).toMatchObject({ type, ...expected });
  });

  it('accepts a body whose type names the route', async () => {
    expect((await post(gateway, '/v1/identify', { type: 'identify', userId: 'u-1' })).status).toBe(200);
    expect(lastEvent().type).toBe('identify');
  });

  it('ignores server-owned fields the client sends: tenantId, sourceId, channel, receivedAt, requestId', async () => {
    const answer = await post(gateway, '/v1/track', trackCall({ tenantId: 'evil', sourceId: 'evil-src', channel: 'kafka', receivedAt: 1, requestId: 'forged' }));
    expect(answer.status).toBe(200);
    expect(lastEvent()).toMatchObject({ tenantId: 'acme', sourceId: 'web', channel: 'http', receivedAt: RECEIVED_AT, requestId: answer.headers.get('x-request-id') });
  });

  it('assigns a UUID messageId when the client sent none or an empty one, and keeps the client one otherwise', async () => {
    await post(gateway, '/v1/track', trackCall());
    const assigned = lastEvent().messageId;
    expect(assigned).toMatch(UUID);
    gateway.publisher.calls.length = 0;
    await post(gateway, '/v1/track', trackCall({ messageId: '' }));
    expect(lastEvent().messageId).toMatch(UUID);
    expect(lastEvent().messageId).not.toBe(assigned);
    gateway.publisher.calls.length = 0;
    await post(gateway, '/v1/track', trackCall({ messageId: 'client-chosen' }));
    expect(lastEvent().messageId).toBe('client-chosen');
  });

  it('carries numeric ids and times as their decimal text', async () => {
    await post(gateway, '/v1/track', { userId: 12345, anonymousId: 0, messageId: 77, event: 'E', timestamp: 1740830400000 });
    expect(lastEvent()).toMatchObject({ userId: '12345', anonymousId: '0', messageId: '77', timestamp: '1740830400000' });
  });

  it('stores absent free-form parts as null, and keeps empty objects', async () => {
    await post(gateway, '/v1/track', { userId: 'u', event: 'E', properties: {}, context: null });
    expect(lastEvent()).toMatchObject({ properties: '{}', context: null, traits: null, integrations: null });
  });

  it('takes the write key from the body when there is no Basic auth, and does not store it', async () => {
    const answer = await post(gateway, '/v1/track', trackCall({ writeKey: ACME_KEY }), { writeKey: null });
    expect(answer.status).toBe(200);
    expect(lastEvent()).toMatchObject({ tenantId: 'acme' });
    expect(JSON.stringify(lastEvent())).not.toContain(ACME_KEY);
  });

  it('accepts Basic auth without the colon (Segment still does)', async () => {
    const answer = await post(gateway, '/v1/track', trackCall(), { writeKey: null, headers: { authorization: `Basic ${Buffer.from(ACME_KEY).toString('base64')}` } });
    expect(answer.status).toBe(200);
  });

  it('ignores the path case and a trailing slash, as express routes do', async () => {
    expect((await post(gateway, '/V1/Track/', trackCall())).status).toBe(200);
  });
});

describe('batches', () => {
  it('publishes every event of /v1/batch in order, each typed by its own type', async () => {
    const answer = await post(gateway, '/v1/batch', {
      batch: [
        { type: 'identify', userId: 'u-1', traits: { name: 'Ada' } },
        { type: 'track', userId: 'u-1', event: 'Signed Up' },
        { type: 'page', anonymousId: 'a-1', name: 'Home' },
        { type: 'screen', userId: 'u-1', name: 'Settings' },
        { type: 'group', userId: 'u-1', groupId: 'g-1' },
        { type: 'alias', userId: 'u-1', previousId: 'a-1' },
      ],
    });
    expect(answer).toMatchObject({ status: 200, body: { success: true } });
    expect(gateway.publisher.calls).toHaveLength(1);
    expect(gateway.publisher.events.map((e) => e.type)).toEqual(['identify', 'track', 'page', 'screen', 'group', 'alias']);
    const requestIds = new Set(gateway.publisher.events.map((e) => e.requestId));
    const receivedAts = new Set(gateway.publisher.events.map((e) => e.receivedAt));
    expect([...requestIds]).toEqual([answer.headers.get('x-request-id')]);
    expect([...receivedAts]).toEqual([RECEIVED_AT]);
    expect(new Set(gateway.publisher.events.map((e) => e.messageId)).size).toBe(6);
  });

  it('merges the batch context and integrations into each event, the event\'s own keys winning', async () => {
    await post(gateway, '/v1/batch', {
      context: { library: { name: 'analytics-python' }, locale: 'en-GB', ip: '198.51.100.1' },
      integrations: { All: false, Mixpanel: true },
      sentAt: '2025-03-01T11:00:00.000Z',
      schemaVersion: '2.0.0',
      batch: [
        { type: 'track', userId: 'u', event: 'A' },
        { type: 'track', userId: 'u', event: 'B', context: { locale: 'fr-FR' }, integrations: { Mixpanel: false }, sentAt: '2025-03-01T11:00:01.000Z', schemaVersion: '2.1.0' },
      ],
    });
    const [a, b] = gateway.publisher.events;
    expect(JSON.parse(a!.context!)).toEqual({ library: { name: 'analytics-python' }, locale: 'en-GB', ip: '198.51.100.1' });
    expect(JSON.parse(a!.integrations!)).toEqual({ All: false, Mixpanel: true });
    expect(a).toMatchObject({ sentAt: '2025-03-01T11:00:00.000Z', schemaVersion: '2.0.0' });
    expect(JSON.parse(b!.context!)).toEqual({ library: { name: 'analytics-python' }, locale: 'fr-FR', ip: '198.51.100.1' });
    expect(JSON.parse(b!.integrations!)).toEqual({ All: false, Mixpanel: false });
    expect(b).toMatchObject({ sentAt: '2025-03-01T11:00:01.000Z', schemaVersion: '2.1.0' });
  });

  it('takes /v1/import with the batch shape (historical timestamps kept as sent)', async () => {
    const answer = await post(gateway, '/v1/import', { batch: [{ type: 'track', userId: 'u', event: 'Old', timestamp: '2019-01-01T00:00:00Z' }] });
    expect(answer.status).toBe(200);
    expect(lastEvent()).toMatchObject({ type: 'track', timestamp: '2019-01-01T00:00:00Z', channel: 'http' });
  });

  it('takes the write key from the batch body (the Segment node SDK sends it there too)', async () => {
    const answer = await post(gateway, '/v1/batch', { writeKey: ACME_KEY, batch: [{ type: 'track', userId: 'u', event: 'E' }] }, { writeKey: null });
    expect(answer.status).toBe(200);
  });
});

describe('request ids', () => {
  it('echoes a sane client X-Request-Id and stamps it on every event', async () => {
    const answer = await post(gateway, '/v1/track', trackCall(), { headers: { 'x-request-id': 'lb-7f3a:01HV.x_y-z' } });
    expect(answer.headers.get('x-request-id')).toBe('lb-7f3a:01HV.x_y-z');
    expect(lastEvent().requestId).toBe('lb-7f3a:01HV.x_y-z');
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['unsafe characters', 'id with spaces<script>'],
  ])('replaces a client X-Request-Id with %s by a new UUID', async (_why, header) => {
    const answer = await post(gateway, '/v1/track', trackCall(), { headers: { 'x-request-id': header } });
    expect(answer.headers.get('x-request-id')).toMatch(UUID);
    expect(lastEvent().requestId).toBe(answer.headers.get('x-request-id'));
  });

  it('binds the request id (and, once known, the tenant) to every log line of the request', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ service: 'gateway-test', level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    const logged = await startTestGateway({ logger });
    try {
      await post(logged, '/v1/track', trackCall(), { headers: { 'x-request-id': 'req-accepted' } });
      await post(logged, '/v1/track', { userId: 'u' }, { headers: { 'x-request-id': 'req-refused' } });
      await post(logged, '/v1/track', trackCall(), { writeKey: 'wk_unknown', headers: { 'x-request-id': 'req-unknown-key' } });
    } finally {
      await logged.close();
    }
    const byRequest = (id: string) => lines.filter((l) => l['requestId'] === id);
    expect(byRequest('req-accepted')).toEqual([expect.objectContaining({ level: 'debug', msg: 'request accepted', tenantId: 'acme', sourceId: 'web', events: 1 })]);
    expect(byRequest('req-refused')).toEqual([expect.objectContaining({ level: 'debug', msg: 'request refused', tenantId: 'acme', code: 'missing_event_name', status: 400 })]);
    expect(byRequest('req-unknown-key')).toEqual([expect.objectContaining({ msg: 'request refused', code: 'invalid_write_key' })]);
    expect(lines.every((l) => typeof l['requestId'] === 'string')).toBe(true);
  });

  it('generates a different id per request when the client sends none, also on errors', async () => {
    const a = await post(gateway, '/v1/track', trackCall());
    const b = await post(gateway, '/v1/track', {});
    expect(a.headers.get('x-request-id')).toMatch(UUID);
    expect(b.headers.get('x-request-id')).toMatch(UUID);
    expect(b.body['requestId']).toBe(b.headers.get('x-request-id'));
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

describe('compressed bodies', () => {
  const batch = { batch: [{ type: 'track', userId: 'u', event: 'Zipped', properties: { n: 1 } }] };
  const json = Buffer.from(JSON.stringify(batch));

  it.each([
    ['gzip', gzipSync(json)],
    ['x-gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['deflate', deflateRawSync(json)],
    ['br', brotliCompressSync(json)],
    ['identity', json],
    ['GZIP', gzipSync(json)],
    ['gzip, br', brotliCompressSync(gzipSync(json))],
  ])('decodes Content-Encoding: %s', async (encoding, body) => {
    const answer = await post(gateway, '/v1/batch', body, { headers: { 'content-encoding': encoding } });
    expect(answer.status).toBe(200);
    expect(lastEvent()).toMatchObject({ event: 'Zipped', properties: '{"n":1}' });
  });

  it('needs no Content-Type (axios sends gzip bodies as octet streams)', async () => {
    const response = await fetch(`${gateway.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: basicAuth(ACME_KEY), 'content-encoding': 'gzip' },
      body: gzipSync(json),
    });
    expect(response.status).toBe(200);
  });
});
