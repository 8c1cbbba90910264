/**
 * Google Analytics 4 Measurement Protocol destination
 * (developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events):
 *
 *   POST {baseUrl}/mp/collect?measurement_id={G-...}&api_secret={secret}
 *   content-type: application/json
 *   { "client_id", "user_id"?, "consent"?, "events": [ { name, params, timestamp_micros }, ... up to 25 ] }
 *
 * Limits: 25 events per request, all for the request's one client_id/user_id; a body under 130 kB.
 * GA4 answers 2xx whatever it then drops: see ga4-validation.ts for the sampled check.
 */
import { classifyHttpStatus, classifyNetworkError } from '../classify-http';
import { ConfigReader } from '../config-reader';
import { preparedOrSkip } from '../prepared-event';
import type { BatchAdapter, HttpRequest, PreparedEvent } from '../types';
import { ga4Payload, type Ga4Payload } from './ga4-event';

export interface Ga4Config {
  readonly measurementId: string;
  readonly apiSecret: string;
  /** https://www.google-analytics.com, or https://region1.google-analytics.com to collect in the EU. */
  readonly baseUrl: string;
  /** Track event name → GA4 event name; wins over the snake_case default. */
  readonly eventNameMap: ReadonlyMap<string, string>;
  /** Map Segment e-commerce names to GA4 recommended events (Order Completed → purchase). */
  readonly useRecommendedEvents: boolean;
}

export const GA4_MAX_BATCH = 25;
/** "The post body must be smaller than 130kB"; kept under with room for the URL-free envelope. */
export const GA4_MAX_BODY_BYTES = 130_000;

function readConfig(input: unknown): Ga4Config {
  const r = new ConfigReader('ga4', input);
  return r.done({
    measurementId: r.requiredString('settings', 'measurementId', { pattern: /^G-[A-Z0-9]{4,20}$/, hint: 'a web stream measurement id like G-XXXXXXXXXX' }),
    apiSecret: r.requiredString('credentials', 'apiSecret', { pattern: /^\S{8,100}$/, hint: 'a Measurement Protocol API secret' }),
    baseUrl: r.url('settings', 'baseUrl', 'https://www.google-analytics.com'),
    eventNameMap: r.stringMap('settings', 'eventNameMap'),
    useRecommendedEvents: r.boolean('settings', 'useRecommendedEvents', false),
  });
}

function identityKey(p: Ga4Payload): string {
  return JSON.stringify([p.clientId, p.userId, p.consent]);
}

function envelope(first: Ga4Payload): Record<string, unknown> {
  return {
    client_id: first.clientId,
    ...(first.userId === null ? {} : { user_id: first.userId }),
    ...(first.consent === null ? {} : { consent: first.consent }),
  };
}

/** Splits one identity's events by count and body size, keeping their order. */
function requestsFor(group: PreparedEvent<Ga4Payload>[]): PreparedEvent<Ga4Payload>[][] {
  const head = Buffer.byteLength(JSON.stringify({ ...envelope(group[0]!.payload), events: [] }));
  const out: PreparedEvent<Ga4Payload>[][] = [];
  let current: PreparedEvent<Ga4Payload>[] = [];
  let size = head;
  for (const p of group) {
    const bytes = Buffer.byteLength(JSON.stringify(p.payload.event)) + 1;
    if (current.length > 0 && (current.length === GA4_MAX_BATCH || size + bytes > GA4_MAX_BODY_BYTES)) {
      out.push(current);
      current = [];
      size = head;
    }
    current.push(p);
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export const ga4Adapter: BatchAdapter<Ga4Config, Ga4Payload> = {
  type: 'ga4',
  kind: 'batch',
  maxBatch: GA4_MAX_BATCH,

  parseConfig: readConfig,

  prepare(event, config, ctx) {
    return preparedOrSkip(event, ctx, ga4Payload(event, config, ctx.now));
  },

  buildRequests(prepared, config) {
    const groups = new Map<string, PreparedEvent<Ga4Payload>[]>();
    for (const p of prepared) {
      const key = identityKey(p.payload);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [p]);
      else group.push(p);
    }
    const url = `${config.baseUrl}/mp/collect?measurement_id=${encodeURIComponent(config.measurementId)}&api_secret=${encodeURIComponent(config.apiSecret)}`;
    return [...groups.values()].flatMap(requestsFor).map(
      (batch): HttpRequest => ({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...envelope(batch[0]!.payload), events: batch.map((p) => p.payload.event) }),
        events: batch.map((p) => ({ messageId: p.messageId, idempotencyKey: p.idempotencyKey })),
        secrets: [...new Set([config.apiSecret, encodeURIComponent(config.apiSecret)])],
      }),
    );
  },

  classify(result, _request, ctx) {
    if ('networkError' in result) return classifyNetworkError(result.networkError);
    return classifyHttpStatus(result.response, ctx);
  },
};
