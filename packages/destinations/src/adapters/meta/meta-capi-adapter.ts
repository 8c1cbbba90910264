/**
 * Meta Conversions API destination (developers.facebook.com/docs/marketing-api/conversions-api/using-the-api):
 *
 *   POST {baseUrl}/{apiVersion}/{pixelId}/events
 *   content-type: application/json
 *   { "data": [ServerEvent, ... up to 1000], "access_token": "...", "test_event_code"?: "..." }
 *
 * Meta rejects the entire request when one event is invalid, so `prepare` refuses what Meta would
 * (too old, no matching data, website fields missing) and a 400 on a batch asks the service to
 * resend events one by one (`retryIndividually`).
 */
import { chunks } from '../batching';
import { classifyNetworkError } from '../classify-http';
import { ConfigReader } from '../config-reader';
import { preparedOrSkip } from '../prepared-event';
import type { BatchAdapter, HttpRequest, PreparedEvent } from '../types';
import { classifyMetaResponse } from './meta-errors';
import { ACTION_SOURCES, metaServerEvent, type ActionSource, type MetaServerEvent } from './meta-event';

export interface MetaCapiConfig {
  readonly pixelId: string;
  readonly accessToken: string;
  readonly actionSource: ActionSource;
  /** Track event name → Meta event name; wins over META_STANDARD_EVENTS. */
  readonly eventNameMap: ReadonlyMap<string, string>;
  readonly apiVersion: string;
  readonly baseUrl: string;
  /** Routes events to Events Manager's Test Events tab instead of production. */
  readonly testEventCode: string | null;
}

/** "You can send up to 1,000 events in data" (Using the API, batch requests). */
export const META_MAX_BATCH = 1000;
export const META_DEFAULT_API_VERSION = 'v21.0';

function readConfig(input: unknown): MetaCapiConfig {
  const r = new ConfigReader('meta_capi', input);
  return r.done({
    pixelId: r.requiredString('settings', 'pixelId', { pattern: /^\d{1,20}$/, hint: 'the numeric pixel (dataset) id' }),
    accessToken: r.requiredString('credentials', 'accessToken', { pattern: /^\S+$/, hint: 'an access token' }),
    actionSource: r.oneOf('settings', 'actionSource', ACTION_SOURCES, 'website'),
    eventNameMap: r.stringMap('settings', 'eventNameMap'),
    apiVersion: r.optionalString('settings', 'apiVersion', { pattern: /^v\d+\.\d+$/, hint: 'a Graph API version like v21.0' }) ?? META_DEFAULT_API_VERSION,
    baseUrl: r.url('settings', 'baseUrl', 'https://graph.facebook.com'),
    testEventCode: r.optionalString('settings', 'testEventCode', { maxLength: 64 }),
  });
}

export const metaCapiAdapter: BatchAdapter<MetaCapiConfig, MetaServerEvent> = {
  type: 'meta_capi',
  kind: 'batch',
  maxBatch: META_MAX_BATCH,

  parseConfig: readConfig,

  prepare(event, config, ctx) {
    return preparedOrSkip(event, ctx, metaServerEvent(event, config, ctx.now));
  },

  buildRequests(prepared, config) {
    return chunks(prepared, META_MAX_BATCH).map(
      (batch: PreparedEvent<MetaServerEvent>[]): HttpRequest => ({
        method: 'POST',
        url: `${config.baseUrl}/${config.apiVersion}/${encodeURIComponent(config.pixelId)}/events`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          data: batch.map((p) => p.payload),
          access_token: config.accessToken,
          ...(config.testEventCode === null ? {} : { test_event_code: config.testEventCode }),
        }),
        events: batch.map((p) => ({ messageId: p.messageId, idempotencyKey: p.idempotencyKey })),
        secrets: [config.accessToken],
      }),
    );
  },

  classify(result, request, ctx) {
    if ('networkError' in result) return classifyNetworkError(result.networkError);
    return classifyMetaResponse(result.response, ctx, request.events.length);
  },
};
