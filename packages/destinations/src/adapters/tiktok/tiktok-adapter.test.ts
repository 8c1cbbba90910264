import { createHash } from 'node:crypto';
import { EMAIL, NOW, PHONE, USER_ID, jsonResponse, resolvedEvent, resolvedEvents, type EventInput } from '../resolved-event.fixture';
import type { PreparedEvent } from '../types';
import { tiktokAdapter } from './tiktok-adapter';
import type { TikTokEvent } from './tiktok-event';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const config = tiktokAdapter.parseConfig({
  settings: { pixelCode: 'D5TL63BC77UECCBSFML0', eventNameMap: { 'Demo Booked': 'Contact' } },
  credentials: { accessToken: 'tt-access-token' },
});
const ctx = { destinationId: 'dst_tiktok_1', now: NOW };

function prepare(input: EventInput = {}) {
  return tiktokAdapter.prepare(resolvedEvent(input), config, ctx);
}

it('maps an Order Completed to CompletePayment with hashed user data and the pixel-shared event id', () => {
  const p = prepare();
  expect(p.kind === 'prepared' && p.payload).toEqual({
    event: 'CompletePayment',
    event_time: Math.floor((NOW - 60_000) / 1000),
    event_id: 'ajs-next-1732440600000-3f2a9c1e',
    user: {
      email: sha256(EMAIL),
      phone: sha256(PHONE),
      external_id: sha256(USER_ID),
      ip: '198.51.100.23',
      user_agent: expect.stringContaining('Mozilla'),
      locale: 'de-DE',
    },
    properties: {
      currency: 'EUR',
      value: 79.97,
      order_id: 'ord-50314',
      content_type: 'product',
      contents: [
        { content_id: 'sku-1042', content_name: 'Trail Runner 2', content_category: 'Shoes', price: 29.99, quantity: 2 },
        { content_id: 'sku-2210', content_name: 'Merino Socks', price: 19.99, quantity: 1 },
      ],
    },
    page: { url: 'https://shop.example/checkout/thanks', referrer: 'https://shop.example/cart' },
  });
});

it('uses the tenant map, then standard events, else the custom name; takes track events only', () => {
  const name = (input: EventInput) => {
    const p = prepare({ properties: {}, ...input });
    return p.kind === 'prepared' ? p.payload.event : p.reason;
  };
  expect(name({ event: 'Demo Booked' })).toBe('Contact');
  expect(name({ event: 'Checkout Started' })).toBe('InitiateCheckout');
  expect(name({ event: 'Quiz Finished' })).toBe('Quiz Finished');
  expect(name({ type: 'page', event: null })).toBe('event_type_not_supported');
});

it('batches up to 1000 events with the Access-Token header and the pixel code as event_source_id', () => {
  const prepared = resolvedEvents(1001).map((e) => tiktokAdapter.prepare(e, config, ctx) as PreparedEvent<TikTokEvent>);
  const requests = tiktokAdapter.buildRequests(prepared, config, { now: NOW });
  expect(requests.map((r) => r.events.length)).toEqual([1000, 1]);
  expect(requests[0]!.url).toBe('https://business-api.tiktok.com/open_api/v1.3/event/track/');
  expect(requests[0]!.headers['Access-Token']).toBe('tt-access-token');
  expect(JSON.parse(requests[1]!.body!)).toMatchObject({ event_source: 'web', event_source_id: 'D5TL63BC77UECCBSFML0', data: [{ event_id: 'm-1000' }] });
});

describe('classifying TikTok answers (HTTP 200 with a code)', () => {
  const prepared = resolvedEvents(2).map((e) => tiktokAdapter.prepare(e, config, ctx) as PreparedEvent<TikTokEvent>);
  const [batch] = tiktokAdapter.buildRequests(prepared, config, { now: NOW });
  const answer = (code: number, status = 200) => tiktokAdapter.classify(jsonResponse(status, { code, message: 'msg', request_id: 'req-1', data: {} }), batch!, { now: NOW });

  it.each([
    [0, 'delivered', null],
    [20001, 'delivered', null],
    [40100, 'retry', 'rate_limited'],
    [40001, 'failed', 'permission_denied'],
    [40105, 'failed', 'auth_failed'],
    [40104, 'failed', 'auth_failed'],
    [40002, 'invalid', 'invalid_payload'],
    [40700, 'retry', 'platform_unavailable'],
    [50002, 'retry', 'platform_unavailable'],
    [41000, 'failed', 'platform_rejected'],
  ])('code %d is %s (%s)', (code, outcome, errorCode) => {
    const c = answer(code);
    expect([c.outcome, c.error?.code ?? null, c.externalId]).toEqual([outcome, errorCode, 'req-1']);
  });

  it('notes a partial success, and asks to resend a refused batch one by one', () => {
    expect(answer(20001).note).toBe('TikTok partial success: msg');
    expect(answer(40002).retryIndividually).toBe(true);
  });

  it('falls back to the HTTP status when there is no verdict in the body', () => {
    expect(tiktokAdapter.classify({ response: { status: 503, headers: { 'Retry-After': '5' }, body: 'upstream down' } }, batch!, { now: NOW }).error).toMatchObject({ code: 'http_5xx', retryAfterMs: 5000 });
    expect(answer(40100, 429).error?.code).toBe('http_429');
  });
});
