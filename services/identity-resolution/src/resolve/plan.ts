/**
 * The resolution of one tenant's chunk of events, planned in memory over the state its
 * transaction locked (identifiers → profiles, those profiles' identifier counts and traits).
 * Pure: no I/O, deterministic for a given input, so the rules are unit- and property-tested and
 * the store only executes the plan (store.ts).
 *
 * Per event, in order:
 *   1. drop blocked identifiers (a `reject` audit each);
 *   2. order the rest by the tenant's priority (most trusted type first): the first is the anchor,
 *      whose profile the event belongs to (a new one if the anchor is new);
 *   3. walk the others in priority order: an unknown identifier attaches to the event's profile,
 *      a known one on another profile merges it into the event's profile — each only if the
 *      per-type limits still hold for the result (else a `reject` audit: the less trusted link
 *      yields), and neither the event nor the linking identifier (within the anomaly window) fuses
 *      more profiles than the anomaly guard allows (else a `review`);
 *   4. link each accepted identifier to the anchor with an edge (the graph unmerge recomputes from);
 *   5. apply the event's traits by survivorship; merges combine traits by the same rules.
 * A merge keeps the profile seen first (then the smaller id) as the survivor.
 */
import type { IdentifierType } from '@stratum/schemas';
import {
  applyTraitUpdate,
  goldenTraits,
  mergeTraits,
  ruleFor,
  type IdentifierRef,
  type IdentitySettings,
  type JsonValue,
  type StoredTrait,
} from '@stratum/identity';

export interface PlanIdentifier {
  readonly key: string;
  readonly ref: IdentifierRef;
  /** Cleartext for non-PII types, null for email/phone. */
  readonly value: string | null;
  /** alias previousId: the keys it may already exist under, in preference order (user_id, then anonymous_id). */
  readonly alternatives?: readonly string[];
}

export interface PlanEvent {
  readonly messageId: string;
  readonly sourceId: string;
  readonly type: string;
  /** Event time, epoch ms. */
  readonly eventTs: number;
  readonly identifiers: readonly PlanIdentifier[];
  /** identify traits (top level), null for other calls; a null value removes the trait. */
  readonly traits: Readonly<Record<string, JsonValue | null>> | null;
}

export interface KnownProfile {
  readonly firstSeenAt: number;
  /** Identifiers per type (within the tenant's limit window). */
  readonly counts: Readonly<Partial<Record<IdentifierType, number>>>;
}

export interface PlanInput {
  readonly events: readonly PlanEvent[];
  /** Existing identifier key → its (active) profile, for every key and alternative of the chunk that exists. */
  readonly known: ReadonlyMap<string, string>;
  readonly profiles: ReadonlyMap<string, KnownProfile>;
  /** Stored traits of the known profiles. */
  readonly traits: ReadonlyMap<string, ReadonlyMap<string, StoredTrait>>;
  /** Merges each known identifier caused within the anomaly window (absent: none). */
  readonly recentMerges?: ReadonlyMap<string, number>;
  readonly settings: IdentitySettings;
  readonly newProfileId: () => string;
}

export type AuditAction = 'link' | 'merge' | 'review' | 'reject';

export interface PlannedAudit {
  readonly action: AuditAction;
  readonly profileId: string;
  readonly otherProfileIds: readonly string[];
  readonly identifiers: readonly PlanIdentifier[];
  readonly messageId: string;
  readonly sourceId: string;
  readonly eventTs: number;
  readonly rule: string;
  readonly reason: string | null;
  /** Position within the event's audits: with messageId and action, a replay-stable id. */
  readonly seq: number;
  /** A fuzzy match's score, tier and fields (imported persons); live events have none. */
  readonly match?: MatchEvidence;
}

/** What the audit and the review queue record of a match (columns match_score, match_tier, match_fields). */
export interface MatchEvidence {
  readonly score: number | null;
  readonly tier: 'exact' | 'strong' | 'fuzzy';
  readonly fields: object;
}

export interface PlannedEventResult {
  readonly profileId: string;
  readonly mergedProfileIds: readonly string[];
  /** The golden record's traits right after this event. */
  readonly traits: Record<string, JsonValue>;
}

export interface ResolutionPlan {
  readonly newProfiles: ReadonlyMap<string, { firstSeenAt: number }>;
  readonly newIdentifiers: ReadonlyArray<{ key: string; ref: IdentifierRef; value: string | null; profileId: string; firstSeenAt: number }>;
  /** merged-away profile → its final survivor. */
  readonly merged: ReadonlyMap<string, string>;
  readonly edges: ReadonlyArray<{ a: string; b: string; messageId: string; sourceId: string; rule: string }>;
  readonly audits: readonly PlannedAudit[];
  readonly reviews: ReadonlyArray<{ identifierKey: string; candidates: readonly string[]; messageId: string; reason: string; match?: MatchEvidence }>;
  /** Final trait state of every surviving profile the chunk touched (all its traits), and which names changed. */
  readonly traits: ReadonlyMap<string, { all: ReadonlyMap<string, StoredTrait>; changed: ReadonlySet<string> }>;
  /** Surviving profiles this chunk touched, with the event-time span it saw. */
  readonly touched: ReadonlyMap<string, { firstTs: number; lastTs: number }>;
  /** Per input event, in order; profile ids final (after every merge of the chunk). */
  readonly events: readonly PlannedEventResult[];
}

export function planResolution(input: PlanInput): ResolutionPlan {
  const { settings } = input;
  const typeRank = new Map(settings.priority.map((t, i) => [t, i]));
  const rankOf = (id: PlanIdentifier) => typeRank.get(id.ref.type) ?? settings.priority.length;
  const blockedPatterns = Object.fromEntries(Object.entries(settings.blockedPatterns).map(([t, ps]) => [t, (ps ?? []).map((p) => new RegExp(p))]));

  const profileOfKey = new Map(input.known);
  const mergedInto = new Map<string, string>();
  const find = (p: string): string => {
    let x = p;
    while (mergedInto.has(x)) x = mergedInto.get(x)!;
    return x;
  };
  const info = new Map<string, { firstSeenAt: number; counts: Partial<Record<IdentifierType, number>> }>();
  for (const [id, p] of input.profiles) info.set(id, { firstSeenAt: p.firstSeenAt, counts: { ...p.counts } });
  const traitState = new Map<string, Map<string, StoredTrait>>();
  const traitsOf = (p: string) => {
    let m = traitState.get(p);
    if (!m) traitState.set(p, (m = new Map(input.traits.get(p) ?? [])));
    return m;
  };
  const changedTraits = new Map<string, Set<string>>();
  const mergesVia = new Map(input.recentMerges ?? []);

  const newProfiles = new Map<string, { firstSeenAt: number }>();
  const newIdentifiers: Array<{ key: string; ref: IdentifierRef; value: string | null; profileId: string; firstSeenAt: number }> = [];
  const edges: Array<{ a: string; b: string; messageId: string; sourceId: string; rule: string }> = [];
  const edgeSeen = new Set<string>();
  const audits: PlannedAudit[] = [];
  const reviews: Array<{ identifierKey: string; candidates: string[]; messageId: string; reason: string }> = [];
  const touched = new Map<string, { firstTs: number; lastTs: number }>();
  const perEvent: Array<{ profileId: string; mergedProfileIds: string[]; traits: Record<string, JsonValue> }> = [];

  const limitOf = (t: IdentifierType) => settings.limits[t] ?? Infinity;
  const fits = (counts: Partial<Record<IdentifierType, number>>, extra: Partial<Record<IdentifierType, number>>): IdentifierType | null => {
    for (const t of settings.priority) if ((counts[t] ?? 0) + (extra[t] ?? 0) > limitOf(t)) return t;
    return null;
  };

  function mergeProfiles(a: string, b: string): { survivor: string; loser: string } {
    const ia = info.get(a)!;
    const ib = info.get(b)!;
    const [survivor, loser] = ia.firstSeenAt < ib.firstSeenAt || (ia.firstSeenAt === ib.firstSeenAt && a < b) ? [a, b] : [b, a];
    const is = info.get(survivor)!;
    const il = info.get(loser)!;
    for (const [t, n] of Object.entries(il.counts) as Array<[IdentifierType, number]>) is.counts[t] = (is.counts[t] ?? 0) + n;
    mergedInto.set(loser, survivor);
    // Traits: the loser's values fold into the survivor's by the same rules.
    const st = traitsOf(survivor);
    const lt = traitsOf(loser);
    const changed = changedTraits.get(survivor) ?? new Set<string>();
    for (const [name, t] of lt) {
      const current = st.get(name);
      const next = current ? mergeTraits(current, t, ruleFor(settings.survivorship, name), settings.survivorship.sourcePriority) : t;
      if (next === current) continue;
      st.set(name, next);
      changed.add(name);
    }
    for (const name of changedTraits.get(loser) ?? []) changed.add(name);
    changedTraits.set(survivor, changed);
    changedTraits.delete(loser);
    traitState.delete(loser);
    const span = touched.get(loser);
    if (span) {
      const s = touched.get(survivor);
      touched.set(survivor, s ? { firstTs: Math.min(s.firstTs, span.firstTs), lastTs: Math.max(s.lastTs, span.lastTs) } : span);
      touched.delete(loser);
    }
    return { survivor, loser };
  }

  for (const event of input.events) {
    const auditsBefore = audits.length;
    const audit = (a: Omit<PlannedAudit, 'messageId' | 'sourceId' | 'eventTs' | 'seq'>) =>
      audits.push({ ...a, messageId: event.messageId, sourceId: event.sourceId, eventTs: event.eventTs, seq: audits.length - auditsBefore });
    const ruleOf = (id: PlanIdentifier) => (event.type === 'alias' ? 'alias' : `exact:${id.ref.type}`);

    // The key each identifier is known under (alias previousId: an existing userId, else an anonymousId).
    const resolved = new Map<string, PlanIdentifier>();
    const blocked: PlanIdentifier[] = [];
    for (const raw of event.identifiers) {
      const existing = raw.alternatives?.find((k) => profileOfKey.has(k));
      const id = existing && existing !== raw.key ? { ...raw, key: existing, ref: { ...raw.ref, type: existing.split(':')[0] as IdentifierType } } : raw;
      const isBlocked = (settings.blockedHashes[id.ref.type] ?? []).includes(id.ref.valueHash) || (id.value !== null && (blockedPatterns[id.ref.type] ?? []).some((re) => re.test(id.value!)));
      if (isBlocked) blocked.push(id);
      else if (!resolved.has(id.key)) resolved.set(id.key, id);
    }
    const ids = [...resolved.values()].sort((x, y) => rankOf(x) - rankOf(y) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

    let target: string | null = null;
    const pendingNew: PlanIdentifier[] = [];
    const pendingCounts: Partial<Record<IdentifierType, number>> = {};
    const accepted: PlanIdentifier[] = [];
    const mergedNow: string[] = [];
    const rejected: Array<{ id: PlanIdentifier; reason: string }> = blocked.map((id) => ({ id, reason: 'blocked_value' }));
    let reviewed = false;

    for (const id of ids) {
      const known = profileOfKey.get(id.key);
      const p = known === undefined ? null : find(known);
      if (p === null) {
        const over = fits(target === null ? {} : info.get(target)!.counts, { ...pendingCounts, [id.ref.type]: (pendingCounts[id.ref.type] ?? 0) + 1 });
        if (over) {
          rejected.push({ id, reason: `limit_${over}` });
          continue;
        }
        pendingNew.push(id);
        pendingCounts[id.ref.type] = (pendingCounts[id.ref.type] ?? 0) + 1;
        accepted.push(id);
      } else if (target === null) {
        const over = fits(info.get(p)!.counts, pendingCounts);
        if (over) {
          rejected.push({ id, reason: `limit_${over}` });
          continue;
        }
        target = p;
        accepted.push(id);
      } else if (p === target) {
        accepted.push(id);
      } else {
        // Joining one more profile would take the event, or this identifier within the window, past the guard.
        // The anchor and this identifier together make the link: both are counted, so a shared email (the anchor) trips the guard as a shared device does.
        const linking = accepted[0] && accepted[0].key !== id.key ? [accepted[0], id] : [id];
        const busiest = Math.max(...linking.map((x) => mergesVia.get(x.key) ?? 0));
        if (mergedNow.length + 2 > settings.anomaly.maxProfiles || busiest + 2 > settings.anomaly.maxProfiles) {
          if (!reviewed) {
            reviewed = true;
            const candidates = [...new Set(ids.map((x) => profileOfKey.get(x.key)).filter((x): x is string => x !== undefined).map(find))].sort();
            reviews.push({ identifierKey: id.key, candidates, messageId: event.messageId, reason: 'anomaly_guard' });
            audit({ action: 'review', profileId: target, otherProfileIds: candidates.filter((c) => c !== target), identifiers: [id], rule: ruleOf(id), reason: 'anomaly_guard' });
          }
          continue;
        }
        const over = fits(info.get(target)!.counts, { ...sumCounts(info.get(p)!.counts, pendingCounts) });
        if (over) {
          rejected.push({ id, reason: `limit_${over}` });
          continue;
        }
        const { survivor, loser } = mergeProfiles(target, p);
        for (const x of linking) mergesVia.set(x.key, (mergesVia.get(x.key) ?? 0) + 1);
        // A profile this chunk created and merged again never reaches the database: for the audit, its identifiers were linked.
        if (newProfiles.has(loser)) audit({ action: 'link', profileId: survivor, otherProfileIds: [], identifiers: [id], rule: ruleOf(id), reason: null });
        else {
          audit({ action: 'merge', profileId: survivor, otherProfileIds: [loser], identifiers: linking, rule: ruleOf(id), reason: null });
          mergedNow.push(loser);
        }
        target = survivor;
        accepted.push(id);
      }
    }

    if (target === null) {
      target = input.newProfileId();
      newProfiles.set(target, { firstSeenAt: event.eventTs });
      info.set(target, { firstSeenAt: event.eventTs, counts: {} });
    } else if (pendingNew.length > 0) {
      audit({ action: 'link', profileId: target, otherProfileIds: [], identifiers: pendingNew, rule: ids[0] ? ruleOf(ids[0]) : 'exact', reason: null });
    }
    const counts = info.get(target)!.counts;
    for (const id of pendingNew) {
      profileOfKey.set(id.key, target);
      counts[id.ref.type] = (counts[id.ref.type] ?? 0) + 1;
      newIdentifiers.push({ key: id.key, ref: id.ref, value: id.value, profileId: target, firstSeenAt: event.eventTs });
    }
    for (const { id, reason } of rejected) audit({ action: 'reject', profileId: target, otherProfileIds: [], identifiers: [id], rule: ruleOf(id), reason });

    // Edges: the anchor to every other identifier the event linked.
    const anchor = accepted[0];
    for (const id of accepted.slice(1)) {
      const [a, b] = anchor!.key < id.key ? [anchor!.key, id.key] : [id.key, anchor!.key];
      if (a === b || edgeSeen.has(`${a}\u0000${b}`)) continue;
      edgeSeen.add(`${a}\u0000${b}`);
      edges.push({ a, b, messageId: event.messageId, sourceId: event.sourceId, rule: ruleOf(id) });
    }

    // Traits, by survivorship.
    if (event.traits) {
      const state = traitsOf(target);
      const changed = changedTraits.get(target) ?? new Set<string>();
      for (const [name, value] of Object.entries(event.traits)) {
        const current = state.get(name);
        const next = applyTraitUpdate(current, { value, eventTs: event.eventTs, sourceId: event.sourceId, messageId: event.messageId }, ruleFor(settings.survivorship, name), settings.survivorship.sourcePriority);
        if (next === current) continue;
        state.set(name, next);
        changed.add(name);
      }
      changedTraits.set(target, changed);
    }
    const span = touched.get(target);
    touched.set(target, span ? { firstTs: Math.min(span.firstTs, event.eventTs), lastTs: Math.max(span.lastTs, event.eventTs) } : { firstTs: event.eventTs, lastTs: event.eventTs });
    perEvent.push({ profileId: target, mergedProfileIds: mergedNow, traits: goldenTraits(traitsOf(target)) });
  }

  // Only profiles that exist in the database are merged there; one created and merged within the chunk is simply never written.
  const merged = new Map([...mergedInto.keys()].filter((p) => !newProfiles.has(p)).map((p) => [p, find(p)]));
  const traits = new Map<string, { all: ReadonlyMap<string, StoredTrait>; changed: ReadonlySet<string> }>();
  for (const p of touched.keys()) traits.set(p, { all: traitsOf(p), changed: changedTraits.get(p) ?? new Set() });
  return {
    newProfiles: new Map([...newProfiles].filter(([p]) => !mergedInto.has(p))),
    newIdentifiers: newIdentifiers.map((n) => ({ ...n, profileId: find(n.profileId) })),
    merged,
    edges,
    audits: audits.map((a) => ({ ...a, profileId: find(a.profileId) })),
    reviews,
    traits,
    touched,
    events: perEvent.map((e) => ({ ...e, profileId: find(e.profileId) })),
  };
}

function sumCounts(a: Partial<Record<IdentifierType, number>>, b: Partial<Record<IdentifierType, number>>): Partial<Record<IdentifierType, number>> {
  const out = { ...a };
  for (const [t, n] of Object.entries(b) as Array<[IdentifierType, number]>) out[t] = (out[t] ?? 0) + n;
  return out;
}
