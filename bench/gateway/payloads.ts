/**
 * Request bodies the bench sends: Segment-style track events of about 500 bytes (what
 * analytics.js sends for an e-commerce event), alone for /v1/track and 50 per /v1/batch.
 * `[<id>]` is replaced by a unique id in every request (load.ts), so every event has its own
 * messageId (and key, and partition) as real SDK traffic has.
 */

export const ID_PLACEHOLDER = '[<id>]';
const ID = ID_PLACEHOLDER;

function trackEvent(i: number): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Product Added',
    messageId: `${ID}-${i}`,
    userId: `user-${1000 + i}`,
    anonymousId: '5e8f0a6d-2c47-4b1c-9e2a-3f2a9c1e7d4b',
    timestamp: '2026-11-24T09:29:59.750Z',
    properties: { product_id: `sku-${4200 + i}`, name: 'Trail Running Shoe', price: 89.95, quantity: 1, currency: 'EUR' },
    context: {
      library: { name: 'analytics.js', version: '5.2.0' },
      page: { path: '/products/trail-shoe', url: 'https://shop.example.com/products/trail-shoe' },
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1.15',
      locale: 'de-DE',
    },
  };
}

/** One track event, as /v1/track takes it. */
export const TRACK_BODY = JSON.stringify(trackEvent(0));

export const BATCH_SIZE = 50;

/** 50 track events, as /v1/batch takes them. */
export const BATCH_BODY = JSON.stringify({ batch: Array.from({ length: BATCH_SIZE }, (_, i) => trackEvent(i)), sentAt: '2026-11-24T09:30:00.000Z' });

/** Bytes of one event once load.ts put a (typically 16-character) id in its placeholder. */
export const eventBytes = (): number => TRACK_BODY.length - ID.length + 16;

/**
 * Distinct copies of `body` (an id in every placeholder) worth about `budgetBytes`, to cycle
 * through: events spread over keys and partitions as real traffic does, while the load generator
 * sends prebuilt bytes instead of rebuilding each request.
 */
export function bodyVariants(body: string, budgetBytes = 256 * 1024): string[] {
  const parts = body.split(ID_PLACEHOLDER);
  const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  const count = Math.max(1, Math.floor(budgetBytes / body.length));
  return Array.from({ length: count }, (_, i) => parts.join(`${run}-${i.toString(36)}`));
}
