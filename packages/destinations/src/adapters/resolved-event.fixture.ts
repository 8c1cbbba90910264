/**
 * Test fixtures: a realistic ResolvedEvent (an "Order Completed" from a web shop, resolved to a
 * profile that merged another), with the JSON-text fields given as objects and identifier hashes
 * computed, not pasted. Tests override what they are about.
 */
import { sha256Hex } from '@stratum/identifiers';
import type { Identifier, ResolvedEvent } from '@stratum/schemas';
import type { JsonObject } from './event-fields';

/** The attempt time tests judge expiry and quiet hours against: 2026-11-24T09:30:00Z. */
export const NOW = Date.UTC(2026, 10, 24, 9, 30, 0);
export const EMAIL = 'ada.lovelace@example.com';
export const PHONE = '+4915112345678';
export const USER_ID = 'user-8812';
export const ANONYMOUS_ID = '5e8f0a6d-2c47-4b1c-9e2a-3f2a9c1e7d4b';
export const PROFILE_ID = 'prof_01JD8ZB4T6YF3N2Q8W1';

const identifier = (type: Identifier['type'], canonical: string, path: string | null, cleartext: boolean): Identifier => ({
  type,
  namespace: null,
  value: cleartext ? canonical : null,
  valueHash: sha256Hex(canonical),
  path,
});

export type EventInput = Omit<Partial<ResolvedEvent>, 'properties' | 'traits' | 'context' | 'profileTraits'> & {
  properties?: JsonObject;
  traits?: JsonObject;
  context?: JsonObject;
  profileTraits?: JsonObject;
};

/** A resolved "Order Completed" event, one minute before NOW, with `input` applied on top. */
export function resolvedEvent(input: EventInput = {}): ResolvedEvent {
  const at = input.timestamp ?? NOW - 60_000;
  const eventIdentifiers = [
    identifier('user_id', USER_ID, 'userId', true),
    identifier('anonymous_id', ANONYMOUS_ID, 'anonymousId', true),
    identifier('email', EMAIL, 'context.traits.email', false),
  ];
  const { properties, traits, context, profileTraits, ...rest } = input;
  return {
    tenantId: 'tn_01JD8Z6Q4M3W7X2V9K5R',
    sourceId: 'src_web_01JD8Z7B2C',
    channel: 'http',
    messageId: 'ajs-next-1732440600000-3f2a9c1e',
    type: 'track',
    timestamp: at,
    originalTimestamp: at - 70,
    sentAt: at + 50,
    receivedAt: at + 180,
    userId: USER_ID,
    anonymousId: ANONYMOUS_ID,
    event: 'Order Completed',
    name: null,
    groupId: null,
    previousId: null,
    properties: JSON.stringify(
      properties ?? {
        order_id: 'ord-50314',
        total: 89.97,
        revenue: 79.97,
        currency: 'eur',
        products: [
          { product_id: 'sku-1042', name: 'Trail Runner 2', price: 29.99, quantity: 2, category: 'Shoes' },
          { product_id: 'sku-2210', name: 'Merino Socks', price: 19.99, quantity: 1 },
        ],
      },
    ),
    traits: JSON.stringify(traits ?? {}),
    context: JSON.stringify(
      context ?? {
        ip: '198.51.100.23',
        locale: 'de-DE',
        timezone: 'Europe/Berlin',
        page: { path: '/checkout/thanks', url: 'https://shop.example/checkout/thanks', referrer: 'https://shop.example/cart' },
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
        fbp: 'fb.1.1732440000000.1098115397',
        traits: { email: 'Ada.Lovelace@Example.com' },
      },
    ),
    integrations: '{}',
    identifiers: eventIdentifiers,
    schemaVersion: '1.0.0',
    requestId: 'req_7Hc2kQ9xZ',
    validatedAt: at + 184,
    dedupedAt: at + 189,
    profileId: PROFILE_ID,
    canonical: {
      userId: USER_ID,
      anonymousId: ANONYMOUS_ID,
      emailHash: sha256Hex(EMAIL),
      phoneHash: sha256Hex(PHONE),
      identifiers: [...eventIdentifiers.map((i) => ({ ...i, path: null })), identifier('phone', PHONE, null, false)],
    },
    mergedProfileIds: [],
    profileTraits: JSON.stringify(profileTraits ?? { first_name: 'Ada', last_name: 'Lovelace', email: EMAIL, phone: PHONE, plan: 'pro' }),
    consents: [{ purpose: 'marketing', granted: true, updatedAt: at - 86_400_000 }],
    doNotContact: false,
    resolvedAt: at + 201,
    ...rest,
  };
}

/** `count` events one second apart (oldest first), with distinct messageIds. */
export function resolvedEvents(count: number, input: EventInput = {}): ResolvedEvent[] {
  return Array.from({ length: count }, (_, i) => resolvedEvent({ messageId: `m-${i}`, timestamp: NOW - 60_000 - (count - i) * 1000, ...input }));
}

/** A JSON response with the given status. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { response: { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) } };
}
