/**
 * What the fault run sends: a deterministic (seeded) plan of Segment calls from a population of
 * users, each with two devices. Device A identifies first (the `identify` phase); device B browses
 * anonymously — its own anonymous profile — then identifies, which merges that profile into the
 * user's. A share of calls is sent a second time with the same messageId (an SDK retry, a replayed
 * batch): the pipeline must drop those. Every call knows which user it belongs to, so the checks
 * can say where each event should end up.
 */

export type CallType = 'identify' | 'track' | 'page';

export interface PlannedCall {
  readonly type: CallType;
  readonly messageId: string;
  /** `identify`: the first phase, before consents are recorded; `bulk`: the rest. */
  readonly phase: 'identify' | 'bulk';
  /** Index of the user this call belongs to (whoever sent it, anonymously or not). */
  readonly user: number;
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly event?: string;
  readonly name?: string;
  readonly properties?: Record<string, unknown>;
  readonly traits?: Record<string, unknown>;
  /** True for the second send of a messageId already planned. */
  readonly resend: boolean;
}

export interface User {
  readonly index: number;
  readonly userId: string;
  readonly email: string;
  readonly deviceA: string;
  readonly deviceB: string;
  /** Grants the `marketing` purpose before the bulk phase (every other user). */
  readonly marketingConsent: boolean;
}

export interface TrafficPlan {
  readonly users: readonly User[];
  /** Phase 1: one identify per user from device A, so every user has a profile to consent on. */
  readonly identifies: readonly PlannedCall[];
  /** Phase 2: the bulk, resends included, in send order. */
  readonly bulk: readonly PlannedCall[];
}

export interface TrafficOptions {
  /** Distinct events of the bulk phase (resends come on top). */
  readonly events: number;
  readonly users: number;
  /** Share of bulk events sent twice (default 0.05). */
  readonly duplicateRate?: number;
  readonly seed?: number;
  /** Makes messageIds unique per run (a run id). */
  readonly runId: string;
}

/** mulberry32: a small seeded generator, so a failing run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCTS = ['sku-espresso', 'sku-grinder', 'sku-kettle', 'sku-beans', 'sku-filter'];

export function planTraffic(options: TrafficOptions): TrafficPlan {
  const random = seededRandom(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let sequence = 0;
  const nextId = () => `e2e-${options.runId}-${String(sequence++).padStart(7, '0')}`;

  const users: User[] = Array.from({ length: options.users }, (_, index) => ({
    index,
    userId: `e2e-user-${index}`,
    email: `user${index}@e2e.example.com`,
    deviceA: `anon-${options.runId}-${index}-a`,
    deviceB: `anon-${options.runId}-${index}-b`,
    marketingConsent: index % 2 === 0,
  }));

  const identifies: PlannedCall[] = users.map((u) => ({
    type: 'identify',
    phase: 'identify',
    messageId: nextId(),
    user: u.index,
    userId: u.userId,
    anonymousId: u.deviceA,
    traits: { email: u.email, plan: pick(['free', 'pro', 'team']) },
    resend: false,
  }));

  // Each user's own sequence, in order: device B anonymous (2 calls), device B identifies (the
  // merge), then identified activity from either device.
  const perUser = Math.max(4, Math.ceil(options.events / options.users));
  const sequences: PlannedCall[][] = users.map((u) => {
    const calls: PlannedCall[] = [
      { type: 'page', messageId: nextId(), phase: 'bulk', user: u.index, anonymousId: u.deviceB, name: 'Home', properties: { path: '/' }, resend: false },
      { type: 'track', messageId: nextId(), phase: 'bulk', user: u.index, anonymousId: u.deviceB, event: 'Product Viewed', properties: { product_id: pick(PRODUCTS) }, resend: false },
      { type: 'identify', messageId: nextId(), phase: 'bulk', user: u.index, userId: u.userId, anonymousId: u.deviceB, traits: { email: u.email }, resend: false },
    ];
    while (calls.length < perUser) {
      const device = random() < 0.5 ? u.deviceA : u.deviceB;
      const roll = random();
      if (roll < 0.15) {
        calls.push({ type: 'track', messageId: nextId(), phase: 'bulk', user: u.index, userId: u.userId, anonymousId: device, event: 'Order Completed', properties: { order_id: `ord-${sequence}`, revenue: Math.round(random() * 20_000) / 100, currency: 'EUR' }, resend: false });
      } else if (roll < 0.35) {
        calls.push({ type: 'page', messageId: nextId(), phase: 'bulk', user: u.index, userId: u.userId, anonymousId: device, name: 'Product', properties: { path: `/p/${pick(PRODUCTS)}` }, resend: false });
      } else {
        calls.push({ type: 'track', messageId: nextId(), phase: 'bulk', user: u.index, userId: u.userId, anonymousId: device, event: pick(['Product Viewed', 'Product Added', 'Checkout Started']), properties: { product_id: pick(PRODUCTS) }, resend: false });
      }
    }
    return calls;
  });

  // Interleave the users, keeping each user's order; stop at the planned number of events.
  const bulk: PlannedCall[] = [];
  const cursors = users.map(() => 0);
  let remaining = Math.min(options.events, sequences.reduce((n, s) => n + s.length, 0));
  while (remaining > 0) {
    const u = Math.floor(random() * users.length);
    const call = sequences[u]![cursors[u]!];
    if (call === undefined) continue;
    cursors[u]! += 1;
    bulk.push(call);
    remaining -= 1;
  }
  // Resends go a little later than their original (as an SDK retry would), never before it.
  const duplicateRate = options.duplicateRate ?? 0.05;
  const withResends: PlannedCall[] = [];
  const pending: Array<{ at: number; call: PlannedCall }> = [];
  bulk.forEach((call, i) => {
    withResends.push(call);
    while (pending.length > 0 && pending[0]!.at <= i) withResends.push(pending.shift()!.call);
    if (random() < duplicateRate) {
      pending.push({ at: i + 1 + Math.floor(random() * 50), call: { ...call, resend: true } });
      pending.sort((a, b) => a.at - b.at);
    }
  });
  withResends.push(...pending.map((p) => p.call));
  return { users, identifies, bulk: withResends };
}
