/**
 * `pnpm demo` without a platform: the traffic plan (who sends what, the duplicate, the consent
 * changes), what each demo destination should get from it, and how the checks judge what the
 * mocks and the delivery outcomes report. The full run is exercised by hand (docs/demo.md).
 */
import { checkDestination, duplicateFate, type Outcome } from '../src/demo/checks';
import { DEMO_DESTINATIONS, type DemoDestinationSpec } from '../src/demo/destinations';
import { fateOf, ga4EventName } from '../src/demo/expectations';
import type { EventSummary } from '../src/demo/mock-console-client';
import { demoPlan, newRunId, type PlannedMessage } from '../src/demo/plan';
import { finalConsents, profileProblems } from '../src/demo/profiles';
import { formatDestination } from '../src/demo/report';
import { resolveTargets } from '../src/demo/targets';

const plan = demoPlan('abc123');
const spec = (name: string): DemoDestinationSpec => DEMO_DESTINATIONS.find((d) => d.name === name)!;
const byUser = (key: string) => plan.messages.filter((m) => m.user === key);

describe('the traffic plan', () => {
  it('is deterministic per run id, and run ids differ', () => {
    expect(demoPlan('abc123')).toEqual(plan);
    expect(newRunId()).toMatch(/^[a-z0-9]{6}$/);
    expect(demoPlan('zzz999').messages[0]!.messageId).not.toBe(plan.messages[0]!.messageId);
  });

  it('has five shoppers who start anonymous, then identify with user id, email and phone, then shop signed in', () => {
    expect(plan.users).toHaveLength(5);
    for (const user of plan.users) {
      const [page, viewed, identify, ...later] = byUser(user.key);
      expect([page!.type, viewed!.type, identify!.type]).toEqual(['page', 'track', 'identify']);
      for (const m of [page!, viewed!]) expect([m.body.anonymousId, m.body.userId]).toEqual([user.anonymousId, undefined]);
      expect(identify!.body).toMatchObject({ userId: user.userId, anonymousId: user.anonymousId, traits: { email: user.email, phone: user.phone, name: user.name } });
      expect(user.phone).toMatch(/^\+1415[2-9]\d{6}$/);
      expect(later.map((m) => m.label)).toEqual(['Product Viewed', 'Order Completed', 'Product Viewed']);
      for (const m of later) expect(m.body).toMatchObject({ userId: user.userId, anonymousId: user.anonymousId });
    }
    const orders = plan.messages.filter((m) => m.label === 'Order Completed');
    for (const o of orders) expect(o.body.properties).toMatchObject({ revenue: expect.any(Number), currency: 'USD', order_id: expect.any(String) });
  });

  it('gives every message a unique messageId and the Segment shape (type, messageId, context with page and user agent)', () => {
    const ids = plan.messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.startsWith('demo-abc123-'))).toBe(true);
    for (const m of plan.messages) {
      expect(m.body).toMatchObject({ type: m.type, messageId: m.messageId, context: { userAgent: expect.any(String), ip: expect.any(String), page: { url: expect.stringMatching(/^https:\/\//) } } });
      if (m.type === 'track') expect(m.body.event).toBe(m.label);
    }
  });

  it('sends one order twice with the same messageId and the same body', () => {
    const resend = plan.steps.find((s) => s.kind === 'resend');
    expect(resend?.kind === 'resend' && resend.message).toBe(plan.messages.find((m) => m.messageId === plan.duplicateMessageId));
    expect(plan.messages.find((m) => m.messageId === plan.duplicateMessageId)!.label).toBe('Order Completed');
    const sendSteps = plan.steps.flatMap((s) => (s.kind === 'calls' || s.kind === 'batch' ? s.messages : []));
    expect(sendSteps).toEqual(plan.messages);
  });

  it('records consent through the profile API between the sends: four grant, one never does, one withdraws later', () => {
    const consentSteps = plan.steps.filter((s) => s.kind === 'consent');
    expect(consentSteps.map((s) => s.kind === 'consent' && s.changes)).toEqual([
      ['ada', 'grace', 'alan', 'katherine'].map((user) => ({ user, status: 'granted' })),
      [{ user: 'grace', status: 'withdrawn' }],
    ]);
    expect(plan.steps.map((s) => s.kind)).toEqual(['calls', 'consent', 'batch', 'resend', 'consent', 'batch']);
    const consented = (key: string) => byUser(key).map((m) => m.consented);
    expect(consented('ada')).toEqual([false, false, false, true, true, true]);
    expect(consented('grace')).toEqual([false, false, false, true, true, false]);
    expect(consented('edsger')).toEqual([false, false, false, false, false, false]);
    expect(finalConsents(plan.steps.slice(0, 2))).toEqual(new Map(['ada', 'grace', 'alan', 'katherine'].map((user) => [user, 'granted'])));
    expect(finalConsents(plan.steps)).toEqual(new Map([['ada', 'granted'], ['grace', 'withdrawn'], ['alan', 'granted'], ['katherine', 'granted']]));
  });
});

describe('what each destination should get', () => {
  const count = (name: string) => {
    const fates = plan.messages.map((m) => fateOf(spec(name), m));
    return { arrive: fates.filter((f) => f === 'arrive').length, consent: fates.filter((f) => f === 'consent').length, notApplicable: fates.filter((f) => f === 'not_applicable').length };
  };

  it('webhook everything, GA4 pages and tracks, TikTok tracks, Meta only what consented profiles sent', () => {
    expect(count('demo-webhook')).toEqual({ arrive: 30, consent: 0, notApplicable: 0 });
    expect(count('demo-ga4')).toEqual({ arrive: 25, consent: 0, notApplicable: 5 });
    expect(count('demo-tiktok')).toEqual({ arrive: 20, consent: 0, notApplicable: 10 });
    // Consent is checked before the call type, as delivery does: the sign-ups (before any grant) count as consent.
    expect(count('demo-meta')).toEqual({ arrive: 11, consent: 19, notApplicable: 0 });
    const metaFor = (key: string) => byUser(key).filter((m) => fateOf(spec('demo-meta'), m) === 'arrive').length;
    expect(['ada', 'grace', 'edsger'].map(metaFor)).toEqual([3, 2, 0]);
  });

  it('names calls as GA4 does', () => {
    const [page, viewed] = byUser('ada');
    expect([ga4EventName(page!), ga4EventName(viewed!), ga4EventName({ type: 'track', label: 'x', body: { event: 'Order Completed' } })]).toEqual(['page_view', 'product_viewed', 'order_completed']);
  });
});

describe('checking what arrived', () => {
  const webhookSummary = (m: PlannedMessage): EventSummary => ({ messageId: m.messageId, event: m.label, userId: null, anonymousId: null, profileId: 'prof_1', detail: null });
  const delivered: Outcome = { status: 'delivered', reason: null };
  const consentDenied: Outcome = { status: 'skipped', reason: 'consent_denied' };
  const meta = spec('demo-meta');
  const metaArrivals = plan.messages.filter((m) => fateOf(meta, m) === 'arrive');
  const metaOutcome = (id: string): Outcome[] => [metaArrivals.some((m) => m.messageId === id) ? delivered : consentDenied];

  it('is ok when every expected event arrived once and every other outcome says why it did not', () => {
    const v = checkDestination(meta, plan, plan.messages, { events: metaArrivals.map(webhookSummary), duplicates: [] }, metaOutcome);
    expect(v).toMatchObject({ ok: true, expected: 11, missing: [], unexpected: [], repeated: [], outcomeProblems: [] });
    expect(v.filteredByConsent).toHaveLength(19);
    expect(new Set(v.filteredByConsent.map((s) => s.reason))).toEqual(new Set(['consent_denied']));
    const report = formatDestination(v, plan, 'http://127.0.0.1:9602', 2).join('\n');
    expect(report).toContain('arrived 11 of 11 expected');
    expect(report).toContain('… 9 more');
    expect(report).toContain('filtered by consent (marketing, opt-in): 19 — Ada Lovelace 3 before granting, Grace Hopper 3 before granting + 1 after withdrawing');
    expect(report).toContain('Edsger Dijkstra 6 never granted  [consent_denied]');
  });

  it('notes what was delivered only after retrying', () => {
    const retriedOnce = (id: string): Outcome[] => (id === metaArrivals[0]!.messageId ? [{ status: 'retrying', reason: 'http_5xx' }, delivered] : metaOutcome(id));
    const v = checkDestination(meta, plan, plan.messages, { events: metaArrivals.map(webhookSummary), duplicates: [] }, retriedOnce);
    expect(v).toMatchObject({ ok: true, retried: [{ message: metaArrivals[0], reasons: ['http_5xx'] }] });
    expect(formatDestination(v, plan, 'x', 0).join('\n')).toContain('delivered after retrying: 1 (http_5xx)');
  });

  it('reports a missing event with its outcome, a consent-filtered event that arrived, a repeat, and an outcome that contradicts consent', () => {
    const [first, ...rest] = metaArrivals;
    const leaked = plan.messages.find((m) => m.user === 'edsger' && m.label === 'Order Completed')!;
    const outcomes = (id: string): Outcome[] => (id === first!.messageId ? [{ status: 'retrying', reason: 'http_503' }] : id === leaked.messageId ? [delivered] : metaOutcome(id));
    const v = checkDestination(meta, plan, plan.messages, { events: [...rest, leaked].map(webhookSummary), duplicates: [webhookSummary(rest[0]!)] }, outcomes);
    expect(v.ok).toBe(false);
    expect(v.missing).toEqual([{ message: first, outcome: 'retrying (http_503)' }]);
    expect(v.unexpected.map((a) => a.message?.messageId)).toEqual([leaked.messageId]);
    expect(v.repeated.map((r) => r.messageId)).toEqual([rest[0]!.messageId]);
    expect(v.outcomeProblems).toEqual([`${leaked.messageId} (Order Completed): delivered, expected skipped for consent`]);
  });

  it('matches GA4 events, which carry no messageId, by client id and name', () => {
    const ga4 = spec('demo-ga4');
    const expected = plan.messages.filter((m) => fateOf(ga4, m) === 'arrive');
    const user = (key: string) => plan.users.find((u) => u.key === key)!;
    const events = expected.map((m): EventSummary => ({ messageId: null, event: ga4EventName(m), userId: m.body.userId === undefined ? null : user(m.user).userId, anonymousId: user(m.user).anonymousId, profileId: null, detail: null }));
    const outcomes = (id: string): Outcome[] => [expected.some((m) => m.messageId === id) ? delivered : { status: 'skipped', reason: 'event_type_not_supported' }];
    expect(checkDestination(ga4, plan, plan.messages, { events, duplicates: [] }, outcomes)).toMatchObject({ ok: true, expected: 25 });
    const short = checkDestination(ga4, plan, plan.messages, { events: events.slice(1), duplicates: [] }, outcomes);
    expect(short.missing.map((m) => m.message.messageId)).toEqual([expected[0]!.messageId]);
    const extra = checkDestination(ga4, plan, plan.messages, { events: [...events, events[0]!], duplicates: [] }, outcomes);
    expect(extra.unexpected).toHaveLength(1);
  });

  it('tells how the duplicate was kept from arriving twice', () => {
    expect(duplicateFate([[delivered], [consentDenied]])).toBe('dropped_by_dedup');
    expect(duplicateFate([[delivered, { status: 'skipped', reason: 'already_delivered' }]])).toBe('skipped_by_ledger');
    expect(duplicateFate([[delivered, delivered]])).toBe('delivered_twice');
    expect(duplicateFate([[delivered], []])).toBe('undecided');
    expect(duplicateFate([[delivered], [{ status: 'retrying', reason: 'http_5xx' }]])).toBe('undecided');
  });
});

it('refuses to run against destinations that are missing or point elsewhere, and checks the profiles formed', () => {
  const mock = (name: string, url: string) => ({ name, url }) as never;
  const mocks = [mock('webhook', 'http://127.0.0.1:9601'), mock('meta', 'http://127.0.0.1:9602'), mock('ga4', 'http://127.0.0.1:9603'), mock('tiktok', 'http://127.0.0.1:9604')];
  const destination = (name: string, settings: Record<string, unknown>) => ({ destinationId: `dst_${name}`, name, type: 'x', enabled: true, settings, filters: {} });
  const all = [
    destination('demo-webhook', { url: 'http://127.0.0.1:9601/stratum/events' }),
    destination('demo-meta', { baseUrl: 'http://127.0.0.1:9602' }),
    destination('demo-ga4', { baseUrl: 'http://127.0.0.1:9603' }),
    destination('demo-tiktok', { baseUrl: 'http://127.0.0.1:9604' }),
  ];
  expect(resolveTargets(all, mocks).map((t) => t.destinationId)).toEqual(['dst_demo-webhook', 'dst_demo-meta', 'dst_demo-ga4', 'dst_demo-tiktok']);
  expect(() => resolveTargets([], mocks)).toThrow(/no destination demo-webhook.*pnpm start --mock-destinations/);
  expect(() => resolveTargets([...all.slice(0, 3), destination('demo-tiktok', { baseUrl: 'http://127.0.0.1:7777' })], mocks)).toThrow(/demo-tiktok sends to http:\/\/127.0.0.1:7777/);

  const ada = plan.users[0]!;
  const identifiers = ['anonymous_id', 'user_id', 'email', 'phone'].map((type) => ({ type, value: null }));
  const profile = { id: 'prf_1', identifiers, consents: [{ purpose: 'marketing', status: 'granted' }], mergedProfileIds: [], traits: {} };
  expect(profileProblems(ada, profile, 'granted')).toEqual([]);
  expect(profileProblems(ada, null, 'granted')).toEqual([`no profile holds user_id:${ada.userId}`]);
  expect(profileProblems(ada, { ...profile, identifiers: identifiers.slice(1) }, 'withdrawn')).toEqual([
    'profile prf_1 lacks anonymous_id (the anonymous and signed-up identities were not linked)',
    'profile prf_1 has marketing consent granted, expected withdrawn',
  ]);
});
