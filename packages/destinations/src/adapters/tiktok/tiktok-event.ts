/**
 * One ResolvedEvent as a TikTok Events API 2.0 event (business-api.tiktok.com/portal/docs, Events
 * API 2.0 "Report web, app and offline events"):
 *
 *   { event, event_time (Unix s), event_id, user: { email, phone, external_id (SHA-256 hex),
 *     ip, user_agent, ttclid, ttp, locale }, properties: { currency, value, contents[], content_type,
 *     order_id, query }, page: { url, referrer } }
 *
 * event_id is our messageId, the id the TikTok pixel sends, so browser and server events
 * deduplicate. Email and phone hashes come from ingest (trimmed lower-case email, E.164 phone:
 * TikTok's normalisation too).
 */
import type { ResolvedEvent } from '@stratum/schemas';
import { eventFields, identifierHashes, numberAt, products, stringAt, type JsonObject } from '../event-fields';
import { skip } from '../skip-reasons';
import type { Skip } from '../types';

/** Segment e-commerce spec names → TikTok standard events; a destination's eventNameMap overrides them. */
export const TIKTOK_STANDARD_EVENTS: Readonly<Record<string, string>> = {
  'Order Completed': 'CompletePayment',
  'Checkout Started': 'InitiateCheckout',
  'Product Added': 'AddToCart',
  'Product Added to Wishlist': 'AddToWishlist',
  'Product Viewed': 'ViewContent',
  'Products Searched': 'Search',
  'Payment Info Entered': 'AddPaymentInfo',
  'Signed Up': 'CompleteRegistration',
};

export interface TikTokUser {
  email?: string;
  phone?: string;
  external_id?: string;
  ip?: string;
  user_agent?: string;
  ttclid?: string;
  ttp?: string;
  locale?: string;
}

export interface TikTokContent {
  content_id: string;
  content_name?: string;
  content_category?: string;
  brand?: string;
  price?: number;
  quantity?: number;
}

export interface TikTokProperties {
  currency?: string;
  value?: number;
  contents?: TikTokContent[];
  content_type?: 'product';
  order_id?: string;
  query?: string;
}

export interface TikTokEvent {
  event: string;
  event_time: number;
  event_id: string;
  user: TikTokUser;
  properties?: TikTokProperties;
  page?: { url: string; referrer?: string };
}

export interface TikTokMappingConfig {
  readonly eventNameMap: ReadonlyMap<string, string>;
}

function user(event: ResolvedEvent, context: JsonObject, properties: JsonObject): TikTokUser {
  const out: TikTokUser = {};
  const set = (key: keyof TikTokUser, value: string | null | undefined) => {
    if (value !== null && value !== undefined) out[key] = value;
  };
  set('email', identifierHashes(event, 'email')[0]);
  set('phone', identifierHashes(event, 'phone')[0]);
  set('external_id', identifierHashes(event, 'user_id')[0]);
  set('ip', stringAt(context, 'ip'));
  set('user_agent', stringAt(context, 'userAgent'));
  set('ttclid', stringAt(context, 'ttclid') ?? stringAt(properties, 'ttclid'));
  set('ttp', stringAt(context, 'ttp') ?? stringAt(properties, 'ttp'));
  set('locale', stringAt(context, 'locale'));
  return out;
}

function content(product: JsonObject): TikTokContent | null {
  const id = stringAt(product, 'product_id', 'sku', 'id');
  if (id === null) return null;
  const out: TikTokContent = { content_id: id };
  const name = stringAt(product, 'name');
  const category = stringAt(product, 'category');
  const brand = stringAt(product, 'brand');
  const price = numberAt(product, 'price');
  const quantity = numberAt(product, 'quantity');
  if (name !== null) out.content_name = name;
  if (category !== null) out.content_category = category;
  if (brand !== null) out.brand = brand;
  if (price !== null) out.price = price;
  if (quantity !== null) out.quantity = quantity;
  return out;
}

function tiktokProperties(properties: JsonObject): TikTokProperties {
  const out: TikTokProperties = {};
  const currency = stringAt(properties, 'currency');
  const value = numberAt(properties, 'value', 'revenue', 'total', 'price');
  const orderId = stringAt(properties, 'order_id', 'orderId');
  const query = stringAt(properties, 'query');
  if (currency !== null && /^[A-Za-z]{3}$/.test(currency)) out.currency = currency.toUpperCase();
  if (value !== null) out.value = value;
  if (orderId !== null) out.order_id = orderId;
  if (query !== null) out.query = query;
  const contents = products(properties).map(content).filter((c): c is TikTokContent => c !== null);
  const single = content(properties);
  if (contents.length === 0 && single !== null) contents.push(single);
  if (contents.length > 0) {
    out.contents = contents;
    out.content_type = 'product';
  }
  return out;
}

/** The TikTok event for `event`, or why TikTok does not get it. */
export function tiktokEvent(event: ResolvedEvent, config: TikTokMappingConfig, now: number): TikTokEvent | Skip {
  if (event.type !== 'track' || event.event === null) return skip('event_type_not_supported', `TikTok takes track events, not ${event.type}`);
  const { properties, context } = eventFields(event);
  const u = user(event, context, properties);
  if (u.email === undefined && u.phone === undefined && u.external_id === undefined && u.ttclid === undefined && u.ttp === undefined && u.ip === undefined) {
    return skip('no_user_data', 'no email, phone, external id, ttclid/ttp or IP to match a person on');
  }
  const props = tiktokProperties(properties);
  const url = stringAt(context, 'page.url') ?? stringAt(properties, 'url');
  const referrer = stringAt(context, 'page.referrer');
  return {
    event: config.eventNameMap.get(event.event) ?? TIKTOK_STANDARD_EVENTS[event.event] ?? event.event,
    event_time: Math.floor(Math.min(event.timestamp, now) / 1000),
    event_id: event.messageId,
    user: u,
    ...(Object.keys(props).length === 0 ? {} : { properties: props }),
    ...(url === null ? {} : { page: referrer === null ? { url } : { url, referrer } }),
  };
}
