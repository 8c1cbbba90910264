/**
 * One ResolvedEvent as a Meta Conversions API server event. Rules from Meta's documentation
 * (developers.facebook.com/docs/marketing-api/conversions-api/parameters):
 *
 * - event_time: Unix seconds; "up to 7 days before you send"; one older event makes Meta reject
 *   the whole request, so expired events must never reach a batch (server-event parameters).
 * - event_id: our messageId, the same id the browser pixel sends, so Meta deduplicates the two.
 * - action_source "website" requires event_source_url and client_user_agent (parameters page).
 * - user_data em/ph: SHA-256 of the normalised value, lower-case hex, arrays allowed; external_id
 *   hashing recommended; client_ip_address, client_user_agent, fbp, fbc: never hashed
 *   (customer-information parameters). Ingest already hashed email/phone as Meta normalises them.
 * - Purchase requires custom_data.value and currency.
 * - Custom event names: at most 50 characters (Meta Pixel custom events).
 */
import type { ResolvedEvent } from '@stratum/schemas';
import { eventFields, identifierHashes, numberAt, products, stringAt, type EventFields, type JsonObject } from '../event-fields';
import { skip } from '../skip-reasons';
import type { Skip } from '../types';

export const META_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const MAX_CUSTOM_EVENT_NAME = 50;

export const ACTION_SOURCES = ['website', 'app', 'email', 'phone_call', 'chat', 'physical_store', 'system_generated', 'business_messaging', 'other'] as const;
export type ActionSource = (typeof ACTION_SOURCES)[number];

/** Segment e-commerce spec names → Meta standard events; a destination's eventNameMap overrides them. */
export const META_STANDARD_EVENTS: Readonly<Record<string, string>> = {
  'Order Completed': 'Purchase',
  'Product Viewed': 'ViewContent',
  'Product Added': 'AddToCart',
  'Product Added to Wishlist': 'AddToWishlist',
  'Checkout Started': 'InitiateCheckout',
  'Payment Info Entered': 'AddPaymentInfo',
  'Products Searched': 'Search',
  'Signed Up': 'CompleteRegistration',
};

export interface MetaUserData {
  em?: string[];
  ph?: string[];
  external_id?: string[];
  client_ip_address?: string;
  client_user_agent?: string;
  fbp?: string;
  fbc?: string;
}

export interface MetaContent {
  id: string;
  quantity?: number;
  item_price?: number;
}

export interface MetaCustomData {
  value?: number;
  currency?: string;
  content_ids?: string[];
  contents?: MetaContent[];
  content_type?: 'product';
  content_name?: string;
  content_category?: string;
  order_id?: string;
  num_items?: number;
  search_string?: string;
}

export interface MetaServerEvent {
  event_name: string;
  event_time: number;
  event_id: string;
  action_source: ActionSource;
  event_source_url?: string;
  user_data: MetaUserData;
  custom_data?: MetaCustomData;
}

export interface MetaMappingConfig {
  readonly actionSource: ActionSource;
  readonly eventNameMap: ReadonlyMap<string, string>;
}

function eventName(event: ResolvedEvent, config: MetaMappingConfig): string | Skip {
  if (event.type === 'page') return 'PageView';
  if (event.type !== 'track' || event.event === null) return skip('event_type_not_supported', `Meta takes track and page events, not ${event.type}`);
  const name = config.eventNameMap.get(event.event) ?? META_STANDARD_EVENTS[event.event] ?? event.event;
  if (name.length > MAX_CUSTOM_EVENT_NAME) return skip('event_name_invalid', `event name is ${name.length} characters; Meta allows at most ${MAX_CUSTOM_EVENT_NAME}`);
  return name;
}

function userData(event: ResolvedEvent, { context, properties }: EventFields): MetaUserData {
  const data: MetaUserData = {};
  const em = identifierHashes(event, 'email');
  const ph = identifierHashes(event, 'phone');
  const externalId = identifierHashes(event, 'user_id');
  if (em.length > 0) data.em = em;
  if (ph.length > 0) data.ph = ph;
  if (externalId.length > 0) data.external_id = externalId;
  const ip = stringAt(context, 'ip');
  const ua = stringAt(context, 'userAgent');
  const fbp = stringAt(context, 'fbp') ?? stringAt(properties, 'fbp');
  const fbc = stringAt(context, 'fbc') ?? stringAt(properties, 'fbc');
  if (ip !== null) data.client_ip_address = ip;
  if (ua !== null) data.client_user_agent = ua;
  if (fbp !== null) data.fbp = fbp;
  if (fbc !== null) data.fbc = fbc;
  return data;
}

/** Whether Meta can match a person: an identifier, a browser/click id, or IP together with user agent. */
function matchable(data: MetaUserData): boolean {
  return data.em !== undefined || data.ph !== undefined || data.external_id !== undefined || data.fbp !== undefined || data.fbc !== undefined || (data.client_ip_address !== undefined && data.client_user_agent !== undefined);
}

function content(product: JsonObject): MetaContent | null {
  const id = stringAt(product, 'product_id', 'sku', 'id');
  if (id === null) return null;
  const quantity = numberAt(product, 'quantity');
  const price = numberAt(product, 'price');
  return { id, ...(quantity === null ? {} : { quantity }), ...(price === null ? {} : { item_price: price }) };
}

function customData(properties: JsonObject): MetaCustomData {
  const data: MetaCustomData = {};
  const value = numberAt(properties, 'value', 'revenue', 'total', 'price');
  const currency = stringAt(properties, 'currency');
  if (value !== null) data.value = value;
  if (currency !== null && /^[A-Za-z]{3}$/.test(currency)) data.currency = currency.toUpperCase();
  const single = content(properties);
  const contents = products(properties).map(content).filter((c): c is MetaContent => c !== null);
  if (contents.length === 0 && single !== null) contents.push(single);
  if (contents.length > 0) {
    data.contents = contents;
    data.content_ids = contents.map((c) => c.id);
    data.content_type = 'product';
    data.num_items = contents.reduce((sum, c) => sum + (c.quantity ?? 1), 0);
  }
  const name = stringAt(properties, 'name');
  const category = stringAt(properties, 'category');
  const orderId = stringAt(properties, 'order_id', 'orderId');
  const query = stringAt(properties, 'query');
  if (name !== null) data.content_name = name;
  if (category !== null) data.content_category = category;
  if (orderId !== null) data.order_id = orderId;
  if (query !== null) data.search_string = query;
  return data;
}

/** The server event for `event`, or why Meta must not get it. */
export function metaServerEvent(event: ResolvedEvent, config: MetaMappingConfig, now: number): MetaServerEvent | Skip {
  const age = now - event.timestamp;
  if (age > META_MAX_AGE_MS) return skip('event_expired', `event is ${Math.floor(age / 3_600_000)} h old; Meta takes events up to 168 h old`);
  const name = eventName(event, config);
  if (typeof name !== 'string') return name;
  const fields = eventFields(event);
  const user = userData(event, fields);
  if (!matchable(user)) return skip('no_user_data', 'no email, phone, external id, fbp/fbc, or IP with user agent to match a person on');
  const sourceUrl = stringAt(fields.context, 'page.url') ?? stringAt(fields.properties, 'url');
  if (config.actionSource === 'website' && (sourceUrl === null || user.client_user_agent === undefined)) {
    return skip('missing_website_fields', `a website event needs ${sourceUrl === null ? 'context.page.url' : 'context.userAgent'}`);
  }
  const custom = customData(fields.properties);
  if (name === 'Purchase' && (custom.value === undefined || custom.currency === undefined)) {
    return skip('missing_value', `a Purchase needs value and currency, got ${custom.value === undefined ? 'no value' : 'no currency'}`);
  }
  return {
    event_name: name,
    // A slightly future timestamp (a fast client clock ingest could not correct) is sent as now.
    event_time: Math.floor(Math.min(event.timestamp, now) / 1000),
    event_id: event.messageId,
    action_source: config.actionSource,
    ...(sourceUrl === null ? {} : { event_source_url: sourceUrl }),
    user_data: user,
    ...(Object.keys(custom).length === 0 ? {} : { custom_data: custom }),
  };
}
