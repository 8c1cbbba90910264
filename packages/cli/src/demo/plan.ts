/**
 * The demo's traffic, as data: five shoppers who browse anonymously, sign up (identify with
 * email and phone), grant marketing consent (all but one), shop, and one of them withdraws it
 * before a last visit; one order is sent twice with the same messageId, as an SDK retry after a
 * lost answer would. Pure and deterministic for a run id, so a test can check it and every id the
 * demo later looks for (messageIds, user ids, emails) is known up front.
 *
 * Consent is not something events carry here: the platform records it through the profile API
 * (`PUT /v1/profiles/{id}/consents`, docs/profile-api.md), and delivery checks the destination's
 * `filters.consentPurpose` against the profile's consent as it stands when delivering
 * (docs/delivery.md). So a consent change is its own step between the sends.
 */
import { createHash } from 'node:crypto';

export type CallType = 'page' | 'track' | 'identify';

/** The consent purpose the demo changes, and that demo-meta filters on. */
export const DEMO_CONSENT_PURPOSE = 'marketing';

export interface DemoUser {
  /** Short and unique within a run: `ada`. */
  readonly key: string;
  readonly name: string;
  readonly userId: string;
  readonly anonymousId: string;
  readonly email: string;
  /** E.164. */
  readonly phone: string;
}

/** One Segment call; `body` lacks the timestamps, which the sender sets when it sends. */
export interface PlannedMessage {
  readonly messageId: string;
  readonly type: CallType;
  readonly user: string;
  /** For people: `page Home`, `Order Completed`. */
  readonly label: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** Whether the user had granted DEMO_CONSENT_PURPOSE when this is sent (the steps before it decide). */
  readonly consented: boolean;
}

export type DemoStep =
  /** Sent one call per request (`/v1/page`, `/v1/track`, `/v1/identify`), as a browser library does. */
  | { readonly kind: 'calls'; readonly title: string; readonly messages: readonly PlannedMessage[] }
  /** Sent as one `/v1/batch` request, as a server library does. */
  | { readonly kind: 'batch'; readonly title: string; readonly messages: readonly PlannedMessage[] }
  /** A message sent again with the same messageId. */
  | { readonly kind: 'resend'; readonly title: string; readonly message: PlannedMessage }
  | { readonly kind: 'consent'; readonly title: string; readonly changes: ReadonlyArray<{ readonly user: string; readonly status: 'granted' | 'withdrawn' }> };

export interface DemoPlan {
  readonly runId: string;
  readonly users: readonly DemoUser[];
  readonly steps: readonly DemoStep[];
  /** Every distinct message, in sending order. */
  readonly messages: readonly PlannedMessage[];
  /** The messageId sent twice. */
  readonly duplicateMessageId: string;
}

const PEOPLE = [
  ['ada', 'Ada Lovelace'],
  ['grace', 'Grace Hopper'],
  ['alan', 'Alan Turing'],
  ['katherine', 'Katherine Johnson'],
  ['edsger', 'Edsger Dijkstra'],
] as const;

const PRODUCTS = [
  { product_id: 'sku-101', name: 'Trail running shoes', category: 'Shoes', price: 89.9 },
  { product_id: 'sku-202', name: 'Merino hoodie', category: 'Apparel', price: 64.5 },
  { product_id: 'sku-303', name: 'Insulated bottle', category: 'Gear', price: 24 },
  { product_id: 'sku-404', name: 'Headlamp', category: 'Gear', price: 39.95 },
  { product_id: 'sku-505', name: 'Rain shell', category: 'Apparel', price: 129 },
] as const;

/** Who does not grant consent at all, and who withdraws it before the last visit. */
const NEVER_CONSENTS = 'edsger';
const WITHDRAWS = 'grace';
const RESENDS_ORDER = 'alan';

/** A run id: 6 lower-case letters and digits, fresh per run so each run's people are new profiles. */
export function newRunId(random: () => number = Math.random): string {
  return Array.from({ length: 6 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)]).join('');
}

/** A valid-looking US number (415, an exchange 200–899 that is not N11), distinct per run and user. */
export function phoneFor(runId: string, index: number): string {
  const digest = createHash('sha256').update(`${runId}:${index}`).digest();
  let exchange = 200 + (digest.readUInt16BE(0) % 700);
  if (exchange % 100 === 11) exchange += 1;
  const line = String(digest.readUInt16BE(2) % 10_000).padStart(4, '0');
  return `+1415${exchange}${line}`;
}

function usersFor(runId: string): DemoUser[] {
  return PEOPLE.map(([key, name], i) => ({
    key,
    name,
    userId: `user-${runId}-${key}`,
    anonymousId: `anon-${runId}-${key}`,
    email: `${key}+${runId}@example.com`,
    phone: phoneFor(runId, i),
  }));
}

function context(user: DemoUser, index: number, path: string, title: string): Record<string, unknown> {
  return {
    library: { name: 'stratum-demo', version: '1.0.0' },
    ip: `203.0.113.${10 + index}`,
    userAgent: `Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15 stratum-demo/${user.key}`,
    locale: 'en-US',
    page: { url: `https://shop.example.com${path}`, path, title, referrer: 'https://www.example.org/' },
  };
}

export function demoPlan(runId: string): DemoPlan {
  const users = usersFor(runId);
  const consent = new Map(users.map((u) => [u.key, false]));
  const counters = new Map<string, number>();
  const message = (user: DemoUser, type: CallType, label: string, body: Record<string, unknown>): PlannedMessage => {
    const n = (counters.get(user.key) ?? 0) + 1;
    counters.set(user.key, n);
    const messageId = `demo-${runId}-${user.key}-${String(n).padStart(2, '0')}`;
    return { messageId, type, user: user.key, label, body: { type, messageId, ...body }, consented: consent.get(user.key)! };
  };
  const anonymous = (u: DemoUser) => ({ anonymousId: u.anonymousId });
  const known = (u: DemoUser) => ({ userId: u.userId, anonymousId: u.anonymousId });
  const viewed = (u: DemoUser, i: number, product: (typeof PRODUCTS)[number], who: Record<string, unknown>) =>
    message(u, 'track', 'Product Viewed', { ...who, event: 'Product Viewed', properties: { ...product, sku: product.product_id, currency: 'USD' }, context: context(u, i, `/products/${product.product_id}`, product.name) });

  const browse = users.flatMap((u, i) => [
    message(u, 'page', 'page Home', { ...anonymous(u), name: 'Home', properties: { title: 'Home', url: 'https://shop.example.com/' }, context: context(u, i, '/', 'Home') }),
    viewed(u, i, PRODUCTS[i]!, anonymous(u)),
    message(u, 'identify', 'identify (sign-up)', {
      ...known(u),
      traits: { name: u.name, firstName: u.name.split(' ')[0], email: u.email, phone: u.phone, createdAt: '2026-11-24T09:00:00.000Z' },
      context: context(u, i, '/signup', 'Sign up'),
    }),
  ]);
  const grants = users.filter((u) => u.key !== NEVER_CONSENTS).map((u) => ({ user: u.key, status: 'granted' as const }));
  for (const g of grants) consent.set(g.user, true);
  const shop = users.flatMap((u, i) => {
    const product = PRODUCTS[(i + 1) % PRODUCTS.length]!;
    const quantity = 1 + (i % 2);
    const revenue = Math.round(product.price * quantity * 100) / 100;
    return [
      viewed(u, i, product, known(u)),
      message(u, 'track', 'Order Completed', {
        ...known(u),
        event: 'Order Completed',
        properties: { order_id: `ord-${runId}-${u.key}`, revenue, currency: 'USD', products: [{ product_id: product.product_id, sku: product.product_id, name: product.name, price: product.price, quantity }] },
        context: context(u, i, '/checkout/thanks', 'Thank you'),
      }),
    ];
  });
  const resent = shop.find((m) => m.user === RESENDS_ORDER && m.label === 'Order Completed')!;
  consent.set(WITHDRAWS, false);
  const comeBack = users.map((u, i) => viewed(u, i, PRODUCTS[(i + 2) % PRODUCTS.length]!, known(u)));
  const name = (key: string) => users.find((u) => u.key === key)!.name;

  const steps: DemoStep[] = [
    { kind: 'calls', title: `${users.length} visitors browse anonymously (page, Product Viewed), then sign up (identify with email and phone)`, messages: browse },
    { kind: 'consent', title: `${grants.length} of them grant ${DEMO_CONSENT_PURPOSE} consent (PUT /v1/profiles/{id}/consents); ${name(NEVER_CONSENTS)} does not`, changes: grants },
    { kind: 'batch', title: 'they shop, signed in: Product Viewed and Order Completed with revenue (one /v1/batch)', messages: shop },
    { kind: 'resend', title: `${name(RESENDS_ORDER)}'s Order Completed is sent again with the same messageId (an SDK retry after a lost answer)`, message: resent },
    { kind: 'consent', title: `${name(WITHDRAWS)} withdraws ${DEMO_CONSENT_PURPOSE} consent`, changes: [{ user: WITHDRAWS, status: 'withdrawn' }] },
    { kind: 'batch', title: 'everyone comes back and views one more product', messages: comeBack },
  ];
  return { runId, users, steps, messages: [...browse, ...shop, ...comeBack], duplicateMessageId: resent.messageId };
}
