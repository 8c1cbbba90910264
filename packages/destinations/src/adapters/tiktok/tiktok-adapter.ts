/**
 * TikTok Events API 2.0 destination:
 *
 *   POST {baseUrl}/open_api/v1.3/event/track/
 *   Access-Token: {token}
 *   content-type: application/json
 *   { "event_source": "web", "event_source_id": "{pixel code}", "test_event_code"?: "...",
 *     "data": [TikTokEvent, ... up to 1000] }
 *
 * TikTok answers HTTP 200 with an error `code` in the body: see tiktok-errors.ts.
 */
import { chunks } from '../batching';
import { classifyNetworkError } from '../classify-http';
import { ConfigReader } from '../config-reader';
import { preparedOrSkip } from '../prepared-event';
import type { BatchAdapter, HttpRequest } from '../types';
import { classifyTikTokResponse } from './tiktok-errors';
import { tiktokEvent, type TikTokEvent } from './tiktok-event';

export const TIKTOK_EVENT_SOURCES = ['web', 'app', 'offline', 'crm'] as const;

export interface TikTokConfig {
  /** The pixel code (web) or app/offline set id: `event_source_id`. */
  readonly eventSourceId: string;
  readonly eventSource: (typeof TIKTOK_EVENT_SOURCES)[number];
  readonly accessToken: string;
  readonly eventNameMap: ReadonlyMap<string, string>;
  readonly baseUrl: string;
  readonly testEventCode: string | null;
}

export const TIKTOK_MAX_BATCH = 1000;

function readConfig(input: unknown): TikTokConfig {
  const r = new ConfigReader('tiktok', input);
  return r.done({
    eventSourceId: r.requiredString('settings', 'pixelCode', { pattern: /^[A-Za-z0-9]{10,40}$/, hint: 'the pixel code (event_source_id)' }),
    eventSource: r.oneOf('settings', 'eventSource', TIKTOK_EVENT_SOURCES, 'web'),
    accessToken: r.requiredString('credentials', 'accessToken', { pattern: /^\S+$/, hint: 'an Events API access token' }),
    eventNameMap: r.stringMap('settings', 'eventNameMap'),
    baseUrl: r.url('settings', 'baseUrl', 'https://business-api.tiktok.com'),
    testEventCode: r.optionalString('settings', 'testEventCode', { maxLength: 64 }),
  });
}

export const tiktokAdapter: BatchAdapter<TikTokConfig, TikTokEvent> = {
  type: 'tiktok',
  kind: 'batch',
  maxBatch: TIKTOK_MAX_BATCH,

  parseConfig: readConfig,

  prepare(event, config, ctx) {
    return preparedOrSkip(event, ctx, tiktokEvent(event, config, ctx.now));
  },

  buildRequests(prepared, config) {
    return chunks(prepared, TIKTOK_MAX_BATCH).map(
      (batch): HttpRequest => ({
        method: 'POST',
        url: `${config.baseUrl}/open_api/v1.3/event/track/`,
        headers: { 'content-type': 'application/json', 'Access-Token': config.accessToken },
        body: JSON.stringify({
          event_source: config.eventSource,
          event_source_id: config.eventSourceId,
          ...(config.testEventCode === null ? {} : { test_event_code: config.testEventCode }),
          data: batch.map((p) => p.payload),
        }),
        events: batch.map((p) => ({ messageId: p.messageId, idempotencyKey: p.idempotencyKey })),
        secrets: [config.accessToken],
      }),
    );
  },

  classify(result, request, ctx) {
    if ('networkError' in result) return classifyNetworkError(result.networkError);
    return classifyTikTokResponse(result.response, ctx, request.events.length);
  },
};
