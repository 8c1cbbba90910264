import { ANONYMOUS_ID, NOW, USER_ID, jsonResponse, resolvedEvent, resolvedEvents, type EventInput } from '../resolved-event.fixture';
import type { PreparedEvent } from '../types';
import { ga4Adapter } from './ga4-adapter';
import { clientIdForProfile, type Ga4Payload } from './ga4-event';
import { GA4_RESERVED_EVENT_NAMES, ga4NameProblem, snakeCase } from './ga4-names';
import { classifyGa4Validation, ga4ValidationRequest, parseGa4ValidationMessages } from './ga4-validation';

const HOUR = 3600 * 1000;
const config = ga4Adapter.parseConfig({
  settings: { measurementId: 'G-ABC123XYZ9', eventNameMap: { 'Lead Captured': 'generate_lead' } },
  credentials: { apiSecret: 'sEcReT-api_1234' },
});
const ctx = { destinationId: 'dst_ga4_1', now: NOW };

function prepare(input: EventInput = {}, cfg = config) {
  return ga4Adapter.prepare(resolvedEvent(input), cfg, ctx);
}

function payload(input: EventInput = {}, cfg = config): Ga4Payload {
  const p = prepare(input, cfg);
  if (p.kind !== 'prepared') throw new Error(`skipped: ${p.reason} ${p.message}`);
  return p.payload;
}

function preparedAll(inputs: EventInput[]): PreparedEvent<Ga4Payload>[] {
  return inputs.map((input) => prepare(input) as PreparedEvent<Ga4Payload>);
}

it('maps Order Completed to order_completed with e-commerce params, the event time in microseconds, and the user ids', () => {
  expect(payload()).toEqual({
    clientId: ANONYMOUS_ID,
    userId: USER_ID,
    consent: null,
    event: {
      name: 'order_completed',
      timestamp_micros: (NOW - 60_000) * 1000,
      params: {
        currency: 'EUR',
        value: 79.97,
        transaction_id: 'ord-50314',
        items: [
          { index: 0, item_id: 'sku-1042', item_name: 'Trail Runner 2', item_category: 'Shoes', price: 29.99, quantity: 2 },
          { index: 1, item_id: 'sku-2210', item_name: 'Merino Socks', price: 19.99, quantity: 1 },
        ],
      },
    },
  });
});

it('maps to recommended events when the destination opts in, and always honours its own map', () => {
  const recommended = ga4Adapter.parseConfig({ settings: { measurementId: 'G-ABC123XYZ9', useRecommendedEvents: true }, credentials: { apiSecret: 'sEcReT-api_1234' } });
  expect(payload({}, recommended).event.name).toBe('purchase');
  expect(payload({ event: 'Lead Captured', properties: {} }).event.name).toBe('generate_lead');
  expect(payload({ type: 'page', event: null, name: 'Thanks', properties: {} }).event).toMatchObject({
    name: 'page_view',
    params: { page_location: 'https://shop.example/checkout/thanks', page_referrer: 'https://shop.example/cart', page_title: 'Thanks' },
  });
});

describe('event name rules', () => {
  it.each([
    ['Order Completed', 'order_completed'],
    ['orderCompleted', 'order_completed'],
    ['  Signed-Up!! ', 'signed_up'],
    ['Bestellung abgeschlossen', 'bestellung_abgeschlossen'],
    ['Produkt Ansicht Größe', 'produkt_ansicht_größe'],
  ])('%j becomes %j', (raw, name) => {
    expect(snakeCase(raw)).toBe(name);
    expect(ga4NameProblem(name, 'event')).toBeNull();
  });

  it.each([
    ['9 Lives', 'must start with a letter'],
    ['x'.repeat(41), 'is 41 characters, GA4 allows 40'],
    ['session_start', 'is a reserved event name'],
    ['Google Ads Click', 'uses the reserved prefix google_'],
    ['firebase thing', 'uses the reserved prefix firebase_'],
    ['!!!', 'is empty'],
  ])('%j is refused: %s', (raw, problem) => {
    const skip = prepare({ event: raw, properties: {} });
    expect(skip).toMatchObject({ kind: 'skip', outcome: 'invalid', reason: 'event_name_invalid' });
    expect(skip.kind === 'skip' && skip.message).toContain(problem);
  });

  it('allows exactly 40 characters', () => {
    expect(prepare({ event: 'x'.repeat(40), properties: {} }).kind).toBe('prepared');
  });

  it('refuses every reserved name even when the map produces it', () => {
    for (const name of GA4_RESERVED_EVENT_NAMES) expect(ga4NameProblem(name, 'event')).not.toBeNull();
    expect(ga4NameProblem('firebase_conversion', 'param')).not.toBeNull();
    const mapsToReserved = ga4Adapter.parseConfig({ settings: { measurementId: 'G-ABC123XYZ9', eventNameMap: { 'Order Completed': 'session_start' } }, credentials: { apiSecret: 'sEcReT-api_1234' } });
    expect(prepare({}, mapsToReserved)).toMatchObject({ kind: 'skip', reason: 'event_name_invalid' });
  });
});

it('expires events older than 72 hours: exactly 72 h still goes, one millisecond more does not', () => {
  expect(prepare({ timestamp: NOW - 72 * HOUR }).kind).toBe('prepared');
  expect(prepare({ timestamp: NOW - 72 * HOUR - 1 })).toMatchObject({ kind: 'skip', outcome: 'expired', reason: 'event_expired' });
});

it('keeps at most 25 params (standard ones first), with rule-abiding names and values cut to 100 characters', () => {
  const properties: Record<string, unknown> = { currency: 'usd', value: 5, 'Long Note': 'y'.repeat(150), _private: 1, google_x: 2, nested: { a: 1 }, flag: true };
  for (let i = 0; i < 40; i++) properties[`p${String(i).padStart(2, '0')}`] = i;
  const params = payload({ event: 'Big Event', properties }).event.params;
  expect(Object.keys(params)).toHaveLength(25);
  expect(Object.keys(params).slice(0, 2)).toEqual(['currency', 'value']);
  expect(params.flag).toBe('true');
  expect(params.long_note).toBe('y'.repeat(100));
  expect(Object.keys(params)).not.toEqual(expect.arrayContaining(['_private', 'google_x', 'nested']));
});

it('derives a stable client_id from the profile when the event has no anonymousId', () => {
  const event = resolvedEvent({ anonymousId: null });
  const p = ga4Adapter.prepare({ ...event, canonical: { ...event.canonical, anonymousId: null } }, config, ctx);
  expect(p.kind === 'prepared' && p.payload.clientId).toBe(clientIdForProfile(event.profileId));
  expect(clientIdForProfile('prof_a')).toMatch(/^\d+\.\d+$/);
  expect(clientIdForProfile('prof_a')).toBe(clientIdForProfile('prof_a'));
  expect(clientIdForProfile('prof_a')).not.toBe(clientIdForProfile('prof_b'));
});

it('sends consent from the advertising purpose', () => {
  expect(payload({ consents: [{ purpose: 'advertising', granted: false, updatedAt: 0 }] }).consent).toEqual({ ad_user_data: 'DENIED', ad_personalization: 'DENIED' });
});

describe('requests', () => {
  it('puts at most 25 events in a request: 26 events of one profile make 2 requests', () => {
    const events = resolvedEvents(26).map((e) => ga4Adapter.prepare(e, config, ctx) as PreparedEvent<Ga4Payload>);
    const requests = ga4Adapter.buildRequests(events, config, { now: NOW });
    expect(requests.map((r) => r.events.length)).toEqual([25, 1]);
    expect(requests[0]!.url).toBe('https://www.google-analytics.com/mp/collect?measurement_id=G-ABC123XYZ9&api_secret=sEcReT-api_1234');
    expect(requests[0]!.secrets).toContain('sEcReT-api_1234');
    const body = JSON.parse(requests[0]!.body!);
    expect(body).toMatchObject({ client_id: ANONYMOUS_ID, user_id: USER_ID });
    expect(body.events.map((e: { timestamp_micros: number }) => e.timestamp_micros)).toEqual([...body.events.map((e: { timestamp_micros: number }) => e.timestamp_micros)].sort());
  });

  it('never mixes two identities in one request', () => {
    const requests = ga4Adapter.buildRequests(
      preparedAll([{ messageId: 'a1' }, { messageId: 'b1', userId: 'other', anonymousId: 'anon-b' }, { messageId: 'a2' }]),
      config,
      { now: NOW },
    );
    expect(requests.map((r) => r.events.map((e) => e.messageId))).toEqual([['a1', 'a2'], ['b1']]);
    expect(requests.map((r) => JSON.parse(r.body!).client_id)).toEqual([ANONYMOUS_ID, 'anon-b']);
  });

  it('splits before the body reaches 130 kB', () => {
    const big = { event: 'Big', properties: { note: 'n'.repeat(99), products: Array.from({ length: 200 }, (_, i) => ({ product_id: `sku-${i}`, name: 'n'.repeat(90), price: 1 })) } };
    const requests = ga4Adapter.buildRequests(preparedAll(Array.from({ length: 10 }, (_, i) => ({ ...big, messageId: `m${i}` }))), config, { now: NOW });
    expect(requests.length).toBeGreaterThan(1);
    for (const r of requests) expect(Buffer.byteLength(r.body!)).toBeLessThan(130_000);
    expect(requests.flatMap((r) => r.events.map((e) => e.messageId))).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });
});

describe('the sampled check against the validation server', () => {
  const [request] = ga4Adapter.buildRequests(preparedAll([{}]), config, { now: NOW });

  it('aims the same body at /debug/mp/collect', () => {
    const debug = ga4ValidationRequest(request!);
    expect(debug.url).toBe('https://www.google-analytics.com/debug/mp/collect?measurement_id=G-ABC123XYZ9&api_secret=sEcReT-api_1234');
    expect(debug.body).toBe(request!.body);
    expect(JSON.parse(ga4ValidationRequest(request!, true).body!).validation_behavior).toBe('ENFORCE_RECOMMENDATIONS');
  });

  it('reads validationMessages: none is valid, any is a silent drop', () => {
    const bad = { validationMessages: [{ fieldPath: 'events', description: 'Event at index: [0] has invalid name [_badEventName]. Names must start with an alphabetic character.', validationCode: 'NAME_INVALID' }] };
    expect(parseGa4ValidationMessages(JSON.stringify(bad))).toEqual(bad.validationMessages);
    expect(parseGa4ValidationMessages('{}')).toBeNull();
    expect(classifyGa4Validation(jsonResponse(200, { validationMessages: [] }), { now: NOW }).outcome).toBe('delivered');
    const verdict = classifyGa4Validation(jsonResponse(200, bad), { now: NOW });
    expect([verdict.outcome, verdict.error?.code]).toEqual(['invalid', 'invalid_payload']);
    expect(verdict.error?.message).toContain('NAME_INVALID at events');
  });
});

it('classifies /mp/collect answers by status (GA4 says 2xx even when it drops)', () => {
  const [request] = ga4Adapter.buildRequests(preparedAll([{}]), config, { now: NOW });
  expect(ga4Adapter.classify({ response: { status: 204, headers: {}, body: '' } }, request!, { now: NOW }).outcome).toBe('delivered');
  expect(ga4Adapter.classify({ response: { status: 500, headers: {}, body: '' } }, request!, { now: NOW }).outcome).toBe('retry');
});

it('refuses a measurement id that is not a web stream id', () => {
  expect(() => ga4Adapter.parseConfig({ settings: { measurementId: 'UA-1234-1' }, credentials: { apiSecret: 'sEcReT-api_1234' } })).toThrow(/settings\.measurementId/);
});
