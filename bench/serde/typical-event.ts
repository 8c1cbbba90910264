/**
 * A typical tracked event, about 600 bytes as JSON: what the serde benchmark encodes. Free-form
 * parts (properties, context) are objects here, as application code holds them; absent fields are
 * left out, as Segment's SDKs send them.
 */
export const typicalEvent = {
  tenantId: 'tn_01JD8Z6Q4M3W7X2V9K5R',
  sourceId: 'src_web_01JD8Z7B2C',
  channel: 'http' as const,
  messageId: 'ajs-next-1732440600000-3f2a9c1e-7d4b-4e2a',
  type: 'track',
  receivedAt: Date.UTC(2026, 10, 24, 9, 30),
  sentAt: '2026-11-24T09:29:59.930Z',
  originalTimestamp: '2026-11-24T09:29:59.750Z',
  userId: 'user-8812',
  anonymousId: '5e8f0a6d-2c47-4b1c-9e2a-3f2a9c1e7d4b',
  event: 'Order Completed',
  properties: { order_id: 'ord-50314', revenue: 79.97, currency: 'EUR', products: [{ sku: 'sku-1042', qty: 2 }] },
  context: { ip: '203.0.113.42', library: { name: 'analytics.js', version: '1.72.0' } },
  requestId: 'req_7Hc2kQ9xZ',
};

export type TypicalEvent = typeof typicalEvent;

