import { createHash } from 'node:crypto';
import { EMAIL, NOW, PHONE, USER_ID, jsonResponse, resolvedEvent, resolvedEvents, type EventInput } from '../resolved-event.fixture';
import type { PreparedEvent } from '../types';
import { metaCapiAdapter } from './meta-capi-adapter';
import type { MetaServerEvent } from './meta-event';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const DAY = 24 * 3600 * 1000;

const config = metaCapiAdapter.parseConfig({
  settings: { pixelId: '123456789012345', eventNameMap: { 'Lead Captured': 'Lead' }, baseUrl: 'http://127.0.0.1:9/' },
  credentials: { accessToken: 'EAAB-token' },
});
const ctx = { destinationId: 'dst_meta_1', now: NOW };

function prepare(input: EventInput = {}, cfg = config) {
  return metaCapiAdapter.prepare(resolvedEvent(input), cfg, ctx);
}

function mapped(input: EventInput = {}): MetaServerEvent {
  const p = prepare(input);
  if (p.kind !== 'prepared') throw new Error(`skipped: ${p.reason} ${p.message}`);
  return p.payload;
}

it('maps an Order Completed to a Purchase server event Meta can match and deduplicate', () => {
  expect(mapped()).toEqual({
    event_name: 'Purchase',
    event_time: Math.floor((NOW - 60_000) / 1000),
    event_id: 'ajs-next-1732440600000-3f2a9c1e',
    action_source: 'website',
    event_source_url: 'https://shop.example/checkout/thanks',
    user_data: {
      em: [sha256(EMAIL)],
      ph: [sha256(PHONE)],
      external_id: [sha256(USER_ID)],
      client_ip_address: '198.51.100.23',
      client_user_agent: expect.stringContaining('Mozilla/5.0'),
      fbp: 'fb.1.1732440000000.1098115397',
    },
    custom_data: {
      value: 79.97,
      currency: 'EUR',
      order_id: 'ord-50314',
      content_type: 'product',
      content_ids: ['sku-1042', 'sku-2210'],
      contents: [
        { id: 'sku-1042', quantity: 2, item_price: 29.99 },
        { id: 'sku-2210', quantity: 1, item_price: 19.99 },
      ],
      num_items: 3,
    },
  });
});

it('names events from the tenant map first, then the standard table, else keeps the custom name; page is PageView', () => {
  expect(mapped({ event: 'Lead Captured', properties: {} }).event_name).toBe('Lead');
  expect(mapped({ event: 'Product Added', properties: { product_id: 'sku-1', price: 5, quantity: 1 } }).event_name).toBe('AddToCart');
  expect(mapped({ event: 'Newsletter Joined', properties: {} }).event_name).toBe('Newsletter Joined');
  expect(mapped({ type: 'page', event: null, name: 'Thanks', properties: {} }).event_name).toBe('PageView');
  expect(prepare({ event: 'x'.repeat(51), properties: {} })).toMatchObject({ kind: 'skip', outcome: 'invalid', reason: 'event_name_invalid' });
  expect(prepare({ type: 'identify', event: null })).toMatchObject({ kind: 'skip', outcome: 'filtered', reason: 'event_type_not_supported' });
});

it('expires events older than 7 days: exactly 7 days still goes, one millisecond more does not', () => {
  expect(prepare({ timestamp: NOW - 7 * DAY }).kind).toBe('prepared');
  expect(prepare({ timestamp: NOW - 7 * DAY - 1 })).toMatchObject({ kind: 'skip', outcome: 'expired', reason: 'event_expired' });
});

it('sends event_time in seconds, never in the future', () => {
  expect(mapped({ timestamp: NOW - 1234 }).event_time).toBe(Math.floor((NOW - 1234) / 1000));
  expect(mapped({ timestamp: NOW + 90_000 }).event_time).toBe(NOW / 1000);
});

it('refuses what Meta would reject for the whole batch', () => {
  const noUa = { ip: '198.51.100.23', page: { url: 'https://shop.example/' } };
  expect(prepare({ context: noUa })).toMatchObject({ outcome: 'invalid', reason: 'missing_website_fields' });
  expect(prepare({ properties: { value: 10 } })).toMatchObject({ outcome: 'invalid', reason: 'missing_value' });
  const anonymous = resolvedEvent({ context: {}, identifiers: [], userId: null });
  const stripped = { ...anonymous, canonical: { ...anonymous.canonical, emailHash: null, phoneHash: null, identifiers: [] } };
  expect(metaCapiAdapter.prepare(stripped, config, ctx)).toMatchObject({ outcome: 'invalid', reason: 'no_user_data' });
  // Not a website: no page URL or user agent needed.
  const crm = metaCapiAdapter.parseConfig({ settings: { pixelId: '1', actionSource: 'system_generated' }, credentials: { accessToken: 't' } });
  expect(metaCapiAdapter.prepare(resolvedEvent({ context: {} }), crm, ctx).kind).toBe('prepared');
});

it('batches up to 1000 events per request: 1001 events make 2 requests', () => {
  const prepared = resolvedEvents(1001).map((e) => metaCapiAdapter.prepare(e, config, ctx) as PreparedEvent<MetaServerEvent>);
  const requests = metaCapiAdapter.buildRequests(prepared, config, { now: NOW });
  expect(requests.map((r) => r.events.length)).toEqual([1000, 1]);
  const [first] = requests;
  expect(first!.url).toBe('http://127.0.0.1:9/v21.0/123456789012345/events');
  const body = JSON.parse(first!.body!);
  expect(body.access_token).toBe('EAAB-token');
  expect(body.data).toHaveLength(1000);
  expect(body.data[0].event_id).toBe('m-0');
  expect(first!.secrets).toEqual(['EAAB-token']);
});

describe('classifying Meta answers', () => {
  const prepared = resolvedEvents(3).map((e) => metaCapiAdapter.prepare(e, config, ctx) as PreparedEvent<MetaServerEvent>);
  const [batch] = metaCapiAdapter.buildRequests(prepared, config, { now: NOW });
  const classify = (status: number, body: unknown, headers = {}) => metaCapiAdapter.classify(jsonResponse(status, body, headers), batch!, { now: NOW });
  const graphError = (code: number, extra = {}) => ({ error: { message: 'msg', type: 'OAuthException', code, fbtrace_id: 'AbC123', ...extra } });

  it('delivered carries fbtrace_id', () => {
    expect(classify(200, { events_received: 3, messages: [], fbtrace_id: 'Xy9' })).toMatchObject({ outcome: 'delivered', externalId: 'Xy9', note: null });
    expect(classify(200, { events_received: 2, fbtrace_id: 'Xy9' }).note).toBe('Meta counted 2 of 3 events');
  });

  it.each([
    [190, 400, 'failed', 'auth_failed'],
    [102, 400, 'failed', 'auth_failed'],
    [10, 403, 'failed', 'permission_denied'],
    [200, 403, 'failed', 'permission_denied'],
    [4, 400, 'retry', 'rate_limited'],
    [17, 400, 'retry', 'rate_limited'],
    [32, 400, 'retry', 'rate_limited'],
    [613, 400, 'retry', 'rate_limited'],
    [1, 500, 'retry', 'platform_unavailable'],
    [2, 503, 'retry', 'platform_unavailable'],
    [100, 400, 'invalid', 'invalid_payload'],
    [803, 400, 'invalid', 'invalid_payload'],
  ])('Graph error %d (HTTP %d) is %s: %s', (code, status, outcome, errorCode) => {
    const c = classify(status, graphError(code));
    expect([c.outcome, c.error?.code, c.error?.retryable]).toEqual([outcome, errorCode, outcome === 'retry']);
    expect(c.error?.message).toContain(`Meta error ${code}`);
    expect(c.externalId).toBe('AbC123');
  });

  it('retries an error Meta flags is_transient, and honours Retry-After on throttling', () => {
    expect(classify(400, graphError(999, { is_transient: true })).error?.code).toBe('platform_unavailable');
    expect(classify(400, graphError(17), { 'retry-after': '60' }).error?.retryAfterMs).toBe(60_000);
  });

  it('asks to resend a refused batch one by one, but not a refused single event', () => {
    expect(classify(400, graphError(100)).retryIndividually).toBe(true);
    const [single] = metaCapiAdapter.buildRequests(prepared.slice(0, 1), config, { now: NOW });
    expect(metaCapiAdapter.classify(jsonResponse(400, graphError(100)), single!, { now: NOW }).retryIndividually).toBe(false);
  });

  it('falls back to the HTTP status when the body is not a Graph error', () => {
    expect(metaCapiAdapter.classify({ response: { status: 502, headers: {}, body: '<html>bad gateway</html>' } }, batch!, { now: NOW }).error?.code).toBe('http_5xx');
    expect(metaCapiAdapter.classify({ networkError: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }, batch!, { now: NOW }).error?.code).toBe('connection_reset');
  });
});

it('rejects a config without pixel id or token, naming both', () => {
  expect(() => metaCapiAdapter.parseConfig({ settings: { pixelId: 'abc', actionSource: 'web' }, credentials: {} })).toThrow(
    /settings\.pixelId: "abc" is not the numeric pixel[\s\S]*credentials\.accessToken: required[\s\S]*settings\.actionSource/,
  );
});
