/**
 * The mocks the console runs, each with fixed, fake credentials and the destination settings that
 * reach it. The console answers those settings (GET /), so whoever configures Stratum
 * destinations for it (`pnpm start --mock-destinations`) takes them from the running console
 * instead of repeating them: the two cannot drift apart. They are test credentials of a local
 * mock, not secrets.
 */
import { MockGa4MeasurementProtocol } from '../ga4-measurement-protocol';
import { MockMetaConversionsApi } from '../meta-conversions-api';
import type { MockPlatform } from '../mock-platform';
import { MockTikTokEventsApi } from '../tiktok-events-api';
import { MockWebhookReceiver } from '../webhook-receiver';
import { summariseGa4, summariseMeta, summariseTikTok, summariseWebhook, type EventSummary } from './summaries';

/** How a Stratum destination of `type` reaches a mock: its settings and credentials (@stratum/destinations shapes). */
export interface DestinationConnection {
  type: 'webhook' | 'meta_capi' | 'ga4' | 'tiktok';
  settings: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

/** One mock of the console. */
export interface ConsolePlatform {
  /** The console's name for it, used in its paths (`/meta/events`). */
  readonly name: string;
  readonly mock: MockPlatform<unknown>;
  summarise(event: unknown): EventSummary;
  /** The destination that reaches this mock when it is served at `url`. */
  connection(url: string): DestinationConnection;
}

// 32 bytes, base64: a Standard Webhooks secret ("whsec_" + base64 of 24–64 bytes).
export const MOCK_WEBHOOK_SECRET = `whsec_${Buffer.from('stratum mock destinations secret').toString('base64')}`;
export const MOCK_META_PIXEL_ID = '1234567890';
export const MOCK_TIKTOK_PIXEL_CODE = 'STRATUMMOCKPIXEL01';

function platform<T>(name: string, mock: MockPlatform<T>, summarise: (event: T) => EventSummary, connection: (url: string) => DestinationConnection): ConsolePlatform {
  return { name, mock: mock as MockPlatform<unknown>, summarise: (event) => summarise(event as T), connection };
}

/** A fresh set: webhook, Meta CAPI, GA4 and TikTok, in this order (the order of their fixed ports). */
export function consolePlatforms(): ConsolePlatform[] {
  const meta = new MockMetaConversionsApi({ pixelId: MOCK_META_PIXEL_ID });
  const ga4 = new MockGa4MeasurementProtocol();
  const tiktok = new MockTikTokEventsApi({ eventSourceIds: [MOCK_TIKTOK_PIXEL_CODE] });
  return [
    platform('webhook', new MockWebhookReceiver({ secret: MOCK_WEBHOOK_SECRET }), summariseWebhook, (url) => ({
      type: 'webhook',
      settings: { url: `${url}/stratum/events` },
      credentials: { secrets: [MOCK_WEBHOOK_SECRET] },
    })),
    platform('meta', meta, summariseMeta, (url) => ({ type: 'meta_capi', settings: { pixelId: MOCK_META_PIXEL_ID, baseUrl: url }, credentials: { accessToken: meta.accessToken } })),
    platform('ga4', ga4, summariseGa4, (url) => ({ type: 'ga4', settings: { measurementId: ga4.measurementId, baseUrl: url }, credentials: { apiSecret: ga4.apiSecret } })),
    platform('tiktok', tiktok, summariseTikTok, (url) => ({ type: 'tiktok', settings: { pixelCode: MOCK_TIKTOK_PIXEL_CODE, baseUrl: url }, credentials: { accessToken: tiktok.accessToken } })),
  ];
}
