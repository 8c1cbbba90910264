/**
 * One ResolvedEvent as a GA4 Measurement Protocol event plus the identity it must travel with.
 * Rules (sending-events "Limitations" and "Timestamps", reference):
 *
 * - at most 25 parameters per event; values at most 100 characters (page_location 1000,
 *   page_referrer 420, page_title 300: GA4 event-parameter limits); items at most 200;
 * - timestamp_micros may be backdated up to 72 hours, older events are not processed;
 * - every event of a request shares the request's client_id and user_id, so requests are built
 *   per identity (see ga4-adapter.ts).
 */
import { createHash } from 'node:crypto';
import type { ResolvedEvent } from '@stratum/schemas';
import { eventFields, numberAt, pathValue, products, stringAt, type JsonObject } from '../event-fields';
import { skip } from '../skip-reasons';
import type { Skip } from '../types';
import { GA4_RECOMMENDED_EVENTS, ga4NameProblem, snakeCase } from './ga4-names';

export const GA4_MAX_AGE_MS = 72 * 3600 * 1000;
export const GA4_MAX_PARAMS = 25;
const MAX_ITEMS = 200;
const MAX_VALUE_CHARS = 100;
const LONG_VALUE_LIMITS: Readonly<Record<string, number>> = { page_location: 1000, page_referrer: 420, page_title: 300 };
/** GA4's limit on a User-ID value. */
const MAX_USER_ID_CHARS = 256;

export type Ga4ParamValue = string | number | Ga4Item[];

export interface Ga4Item {
  item_id?: string;
  item_name?: string;
  price?: number;
  quantity?: number;
  item_category?: string;
  item_brand?: string;
  item_variant?: string;
  coupon?: string;
  index?: number;
}

export interface Ga4Event {
  name: string;
  params: Record<string, Ga4ParamValue>;
  timestamp_micros: number;
}

export type Ga4ConsentValue = 'GRANTED' | 'DENIED';

export interface Ga4Consent {
  ad_user_data: Ga4ConsentValue;
  ad_personalization: Ga4ConsentValue;
}

/** An event with the identity its request must carry. */
export interface Ga4Payload {
  readonly clientId: string;
  readonly userId: string | null;
  readonly consent: Ga4Consent | null;
  readonly event: Ga4Event;
}

export interface Ga4MappingConfig {
  readonly eventNameMap: ReadonlyMap<string, string>;
  readonly useRecommendedEvents: boolean;
}

function truncate(name: string, value: string): string {
  const limit = LONG_VALUE_LIMITS[name] ?? MAX_VALUE_CHARS;
  const chars = [...value];
  return chars.length > limit ? chars.slice(0, limit).join('') : value;
}

function item(product: JsonObject, index: number): Ga4Item {
  const out: Ga4Item = { index };
  const text: [keyof Ga4Item, string[]][] = [
    ['item_id', ['product_id', 'sku', 'id']],
    ['item_name', ['name']],
    ['item_category', ['category']],
    ['item_brand', ['brand']],
    ['item_variant', ['variant']],
    ['coupon', ['coupon']],
  ];
  for (const [key, paths] of text) {
    const v = stringAt(product, ...paths);
    if (v !== null) (out as Record<string, unknown>)[key] = truncate(key, v);
  }
  const price = numberAt(product, 'price');
  const quantity = numberAt(product, 'quantity');
  if (price !== null) out.price = price;
  if (quantity !== null) out.quantity = quantity;
  return out;
}

/** Parameters GA4 reports on, read from Segment's spelling, in priority order for the 25-parameter cap. */
function standardParams(event: ResolvedEvent, properties: JsonObject, context: JsonObject): [string, Ga4ParamValue][] {
  const out: [string, Ga4ParamValue][] = [];
  const add = (name: string, value: Ga4ParamValue | null) => {
    if (value !== null) out.push([name, value]);
  };
  const currency = stringAt(properties, 'currency');
  add('currency', currency !== null && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : null);
  add('value', numberAt(properties, 'value', 'revenue', 'total'));
  add('transaction_id', stringAt(properties, 'order_id', 'orderId', 'transaction_id'));
  add('coupon', stringAt(properties, 'coupon'));
  add('shipping', numberAt(properties, 'shipping'));
  add('tax', numberAt(properties, 'tax'));
  add('search_term', stringAt(properties, 'query'));
  const items = products(properties).slice(0, MAX_ITEMS).map(item);
  add('items', items.length > 0 ? items : null);
  if (event.type === 'page' || event.type === 'screen') {
    add('page_location', stringAt(context, 'page.url') ?? stringAt(properties, 'url'));
    add('page_referrer', stringAt(context, 'page.referrer') ?? stringAt(properties, 'referrer'));
    add('page_title', stringAt(context, 'page.title') ?? stringAt(properties, 'title') ?? event.name);
  }
  return out;
}

/** Properties GA4 has no standard slot for: scalar values under rule-abiding names, sorted for stable output. */
function customParams(properties: JsonObject, taken: ReadonlySet<string>): [string, Ga4ParamValue][] {
  const out: [string, Ga4ParamValue][] = [];
  for (const key of Object.keys(properties).sort()) {
    const name = snakeCase(key);
    if (taken.has(name) || ga4NameProblem(name, 'param') !== null) continue;
    const value = pathValue(properties, key);
    if (typeof value === 'number' && Number.isFinite(value)) out.push([name, value]);
    else if (typeof value === 'string' && value !== '') out.push([name, value]);
    else if (typeof value === 'boolean') out.push([name, String(value)]);
  }
  return out;
}

const CONSUMED = new Set(['currency', 'value', 'revenue', 'total', 'order_id', 'orderId', 'transaction_id', 'coupon', 'shipping', 'tax', 'query', 'products', 'url', 'referrer', 'title']);

function params(event: ResolvedEvent, properties: JsonObject, context: JsonObject): Record<string, Ga4ParamValue> {
  const standard = standardParams(event, properties, context);
  const rest = Object.fromEntries(Object.entries(properties).filter(([k]) => !CONSUMED.has(k)));
  const custom = customParams(rest, new Set(standard.map(([name]) => name)));
  const chosen = [...standard, ...custom].slice(0, GA4_MAX_PARAMS);
  return Object.fromEntries(chosen.map(([name, value]) => [name, typeof value === 'string' ? truncate(name, value) : value]));
}

function eventName(event: ResolvedEvent, config: Ga4MappingConfig): string | Skip {
  if (event.type === 'page' || event.type === 'screen') return event.type === 'page' ? 'page_view' : 'screen_view';
  if (event.type !== 'track' || event.event === null) return skip('event_type_not_supported', `GA4 takes track, page and screen events, not ${event.type}`);
  const mapped = config.eventNameMap.get(event.event) ?? (config.useRecommendedEvents ? GA4_RECOMMENDED_EVENTS[event.event] : undefined);
  const name = mapped ?? snakeCase(event.event);
  const problem = ga4NameProblem(name, 'event');
  return problem === null ? name : skip('event_name_invalid', `GA4 event name ${JSON.stringify(name)} ${problem}`);
}

/**
 * A stable GA client id for a profile that never sent an anonymousId: two 31-bit numbers from the
 * profile id's SHA-256, in GA's "random.timestamp"-like dotted form.
 */
export function clientIdForProfile(profileId: string): string {
  const digest = createHash('sha256').update(profileId, 'utf8').digest();
  return `${digest.readUInt32BE(0) >>> 1}.${digest.readUInt32BE(4) >>> 1}`;
}

function consent(event: ResolvedEvent): Ga4Consent | null {
  const advertising = event.consents.find((c) => c.purpose === 'advertising');
  if (advertising === undefined) return null;
  const value: Ga4ConsentValue = advertising.granted ? 'GRANTED' : 'DENIED';
  return { ad_user_data: value, ad_personalization: value };
}

/** The GA4 event and identity for `event`, or why GA4 must not get it. */
export function ga4Payload(event: ResolvedEvent, config: Ga4MappingConfig, now: number): Ga4Payload | Skip {
  const age = now - event.timestamp;
  if (age > GA4_MAX_AGE_MS) return skip('event_expired', `event is ${Math.floor(age / 60_000)} min old; GA4 takes events up to 72 h old`);
  const name = eventName(event, config);
  if (typeof name !== 'string') return name;
  const { properties, context } = eventFields(event);
  const userId = event.userId ?? event.canonical.userId;
  return {
    clientId: event.anonymousId ?? event.canonical.anonymousId ?? clientIdForProfile(event.profileId),
    userId: userId !== null && userId.length <= MAX_USER_ID_CHARS ? userId : null,
    consent: consent(event),
    event: {
      name,
      params: params(event, properties, context),
      timestamp_micros: Math.min(event.timestamp, now) * 1000,
    },
  };
}
