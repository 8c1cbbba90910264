/** The resolution rules, event by event, over in-memory state (the store executes what this plans). */
import fc from 'fast-check';
import { DEFAULT_IDENTITY_SETTINGS, connectedComponents, identifierKey, identitySettings, type IdentitySettings, type JsonValue } from '@stratum/identity';
import type { IdentifierType } from '@stratum/schemas';
import { planResolution, type KnownProfile, type PlanEvent, type PlanIdentifier, type PlanInput } from './plan';

const id = (type: IdentifierType, raw: string): PlanIdentifier => {
  const ref = { type, namespace: '', valueHash: `h_${raw}` };
  return { key: identifierKey(ref), ref, value: type === 'email' || type === 'phone' ? null : raw };
};
const user = (u: string) => id('user_id', u);
const anon = (a: string) => id('anonymous_id', a);
const email = (e: string) => id('email', e);

let seq = 0;
const ev = (identifiers: PlanIdentifier[], opts: { ts?: number; traits?: Record<string, JsonValue | null>; type?: string } = {}): PlanEvent => ({
  messageId: `m${++seq}`,
  sourceId: 'src',
  type: opts.type ?? (opts.traits ? 'identify' : 'track'),
  eventTs: opts.ts ?? 1_000 + seq,
  identifiers,
  traits: opts.traits ?? null,
});

function plan(events: PlanEvent[], state: { known?: Array<[PlanIdentifier, string]>; profiles?: Record<string, KnownProfile>; settings?: IdentitySettings; recentMerges?: Map<string, number> } = {}) {
  let n = 0;
  const input: PlanInput = {
    events,
    known: new Map((state.known ?? []).map(([i, p]) => [i.key, p])),
    profiles: new Map(Object.entries(state.profiles ?? {})),
    traits: new Map(),
    settings: state.settings ?? DEFAULT_IDENTITY_SETTINGS,
    ...(state.recentMerges ? { recentMerges: state.recentMerges } : {}),
    newProfileId: () => `new${++n}`,
  };
  return planResolution(input);
}

test('a new identifier makes a new profile; the same identifier again finds it', () => {
  const p = plan([ev([anon('a1')]), ev([anon('a1')])]);
  expect([...p.newProfiles.keys()]).toEqual(['new1']);
  expect(p.events.map((e) => e.profileId)).toEqual(['new1', 'new1']);
  expect(p.newIdentifiers.map((i) => [i.key, i.profileId])).toEqual([[anon('a1').key, 'new1']]);
});

test('an existing identifier matches its profile and new ones attach to it, with a link audit and edges', () => {
  const p = plan([ev([user('u1'), anon('a9'), email('ann@x.com')])], { known: [[user('u1'), 'P']], profiles: { P: { firstSeenAt: 1, counts: { user_id: 1 } } } });
  expect(p.events[0]!.profileId).toBe('P');
  expect(p.newProfiles.size).toBe(0);
  expect(p.newIdentifiers.map((i) => i.profileId)).toEqual(['P', 'P']);
  expect(p.audits.map((a) => [a.action, a.identifiers.length])).toEqual([['link', 2]]);
  const pairs = (xs: string[][]) => xs.map((x) => [...x].sort().join(' ')).sort();
  expect(pairs(p.edges.map((e) => [e.a, e.b]))).toEqual(
    pairs([
      [anon('a9').key, user('u1').key],
      [email('ann@x.com').key, user('u1').key],
    ]),
  );
});

test('anonymous → identified: the anonymous profile joins the user, keeping its history (the older profile survives)', () => {
  const p = plan([ev([user('u1'), anon('a1')])], {
    known: [
      [anon('a1'), 'ANON'],
      [user('u1'), 'USER'],
    ],
    profiles: { ANON: { firstSeenAt: 10, counts: { anonymous_id: 1 } }, USER: { firstSeenAt: 20, counts: { user_id: 1 } } },
  });
  expect(p.events[0]).toMatchObject({ profileId: 'ANON', mergedProfileIds: ['USER'] });
  expect(p.merged).toEqual(new Map([['USER', 'ANON']]));
  expect(p.audits).toEqual([expect.objectContaining({ action: 'merge', profileId: 'ANON', otherProfileIds: ['USER'], rule: 'exact:anonymous_id' })]);
});

test('two identified profiles (userId and email) merge when an event links them', () => {
  const p = plan([ev([user('u1'), email('ann@x.com')])], {
    known: [
      [user('u1'), 'A'],
      [email('ann@x.com'), 'B'],
    ],
    profiles: { A: { firstSeenAt: 5, counts: { user_id: 1 } }, B: { firstSeenAt: 3, counts: { email: 1 } } },
  });
  expect(p.merged).toEqual(new Map([['A', 'B']]));
  expect(p.events[0]!.profileId).toBe('B');
});

test('a shared device never fuses two users: the second userId gets its own profile and the device link yields', () => {
  const p = plan([ev([user('u2'), anon('shared')])], { known: [[anon('shared'), 'U1']], profiles: { U1: { firstSeenAt: 1, counts: { user_id: 1, anonymous_id: 1 } } } });
  expect(p.events[0]!.profileId).toBe('new1');
  expect(p.merged.size).toBe(0);
  expect(p.audits.map((a) => [a.action, a.reason])).toEqual([['reject', 'limit_user_id']]);
  expect(p.edges).toEqual([]);
});

test('two profiles each with a userId are not merged by an email they share', () => {
  const p = plan([ev([user('u1'), email('shared@x.com')])], {
    known: [
      [user('u1'), 'A'],
      [email('shared@x.com'), 'B'],
    ],
    profiles: { A: { firstSeenAt: 1, counts: { user_id: 1 } }, B: { firstSeenAt: 2, counts: { user_id: 1, email: 1 } } },
  });
  expect(p.merged.size).toBe(0);
  expect(p.events[0]!.profileId).toBe('A');
  expect(p.audits[0]).toMatchObject({ action: 'reject', reason: 'limit_user_id' });
});

test('blocked values are never linked', () => {
  const settings = identitySettings({ blockedPatterns: { anonymous_id: ['^test-'] }, blockedHashes: { email: ['h_qa@x.com'] } });
  const p = plan([ev([user('u1'), anon('test-device'), email('qa@x.com')])], { settings });
  expect(p.newIdentifiers.map((i) => i.ref.type)).toEqual(['user_id']);
  expect(p.audits.filter((a) => a.action === 'reject').map((a) => a.reason)).toEqual(['blocked_value', 'blocked_value']);
});

test('the anomaly guard sends an event that would fuse too many profiles to review instead', () => {
  const settings = identitySettings({ anomaly: { maxProfiles: 2 }, limits: {} });
  const known: Array<[PlanIdentifier, string]> = [
    [email('e1'), 'A'],
    [email('e2'), 'B'],
    [email('e3'), 'C'],
  ];
  const profiles = { A: { firstSeenAt: 1, counts: { email: 1 } }, B: { firstSeenAt: 2, counts: { email: 1 } }, C: { firstSeenAt: 3, counts: { email: 1 } } };
  const p = plan([ev([email('e1'), email('e2'), email('e3')])], { known, profiles, settings });
  expect(p.merged).toEqual(new Map([['B', 'A']]));
  expect(p.reviews).toEqual([expect.objectContaining({ candidates: ['A', 'C'], reason: 'anomaly_guard' })]);
  expect(p.audits.map((a) => a.action)).toEqual(['merge', 'review']);
});

test('the anomaly guard also counts merges an identifier caused earlier in its window', () => {
  const settings = identitySettings({ anomaly: { maxProfiles: 3 }, limits: {} });
  const shared = email('shared@x.com');
  const known: Array<[PlanIdentifier, string]> = [
    [shared, 'S'],
    [anon('d9'), 'D9'],
  ];
  const profiles = { S: { firstSeenAt: 1, counts: { email: 1 } }, D9: { firstSeenAt: 2, counts: { anonymous_id: 1 } } };
  // The shared email already fused two profiles today: one more would make it join a fourth.
  const busy = plan([ev([shared, anon('d9')])], { known, profiles, settings, recentMerges: new Map([[shared.key, 2]]) });
  expect(busy.merged.size).toBe(0);
  expect(busy.audits.map((a) => [a.action, a.reason])).toEqual([['review', 'anomaly_guard']]);
  const calm = plan([ev([shared, anon('d9')])], { known, profiles, settings, recentMerges: new Map([[shared.key, 1]]) });
  expect(calm.merged).toEqual(new Map([['D9', 'S']]));
  expect(calm.audits[0]!.identifiers.map((i) => i.key)).toEqual([shared.key, anon('d9').key]);
});

test('alias: previousId joins the profile of the userId it names, or of the anonymousId', () => {
  const prev = { ...anon('old-user'), alternatives: [user('old-user').key, anon('old-user').key] };
  const p = plan([ev([user('new-user'), prev], { type: 'alias' })], { known: [[user('old-user'), 'OLD']], profiles: { OLD: { firstSeenAt: 1, counts: {} } } });
  expect(p.events[0]!.profileId).toBe('OLD');
  expect(p.newIdentifiers.map((i) => i.key)).toEqual([user('new-user').key]);
  expect(p.audits[0]).toMatchObject({ action: 'link', rule: 'alias' });
});

test('traits: out-of-order older events never overwrite; null removes; merges combine by the same rules', () => {
  const p = plan([
    ev([user('u1')], { ts: 300, traits: { plan: 'pro', name: 'Ann' } }),
    ev([user('u1')], { ts: 100, traits: { plan: 'free', city: 'Oslo' } }),
    ev([user('u1')], { ts: 400, traits: { name: null } }),
  ]);
  expect(p.events.map((e) => e.traits)).toEqual([{ name: 'Ann', plan: 'pro' }, { city: 'Oslo', name: 'Ann', plan: 'pro' }, { city: 'Oslo', plan: 'pro' }]);
  const merged = plan([ev([anon('a1')], { ts: 500, traits: { plan: 'enterprise' } }), ev([user('u9')], { ts: 50, traits: { plan: 'trial', city: 'Rome' } }), ev([user('u9'), anon('a1')], { ts: 600 })]);
  expect(merged.events[2]!.traits).toEqual({ city: 'Rome', plan: 'enterprise' });
  // Both profiles were created in this chunk: one is written, with everything.
  expect(merged.newProfiles.size).toBe(1);
  expect(merged.events.every((e) => e.profileId === merged.events[2]!.profileId)).toBe(true);
});

test('property: after any chunk, profiles are exactly the connected components of the edges over the new identifiers', () => {
  const pool = [...['u1', 'u2', 'u3'].map(user), ...['a1', 'a2', 'a3', 'a4'].map(anon), ...['e1', 'e2', 'e3'].map(email)];
  fc.assert(
    fc.property(fc.array(fc.subarray(pool, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 15 }), (idLists) => {
      const p = plan(idLists.map((ids) => ev(ids)), { settings: identitySettings({ limits: {} }) });
      const profileOf = new Map(p.newIdentifiers.map((i) => [i.key, i.profileId]));
      const components = connectedComponents(profileOf.keys(), p.edges.map((e) => [e.a, e.b] as const));
      // Each component is one profile, and each profile one component.
      const profilesOfComponents = components.map((c) => new Set(c.map((k) => profileOf.get(k))));
      expect(profilesOfComponents.every((s) => s.size === 1)).toBe(true);
      expect(new Set(profilesOfComponents.map((s) => [...s][0])).size).toBe(components.length);
    }),
    { numRuns: 500 },
  );
});
