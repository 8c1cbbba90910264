/**
 * Survivorship: which value of a trait the golden record keeps when events (or merged profiles)
 * disagree. Per trait, one rule:
 * - `latest`: the value with the latest event timestamp — an out-of-order older event never
 *   overwrites a newer value; ties go to the larger messageId so every order gives one answer;
 * - `first_seen`: the value with the earliest event timestamp;
 * - `non_empty`: like latest, but an empty value ("", [], {}) never replaces a non-empty one;
 * - `source_priority`: the value from the source earliest in the tenant's priority list (sources
 *   not listed come last); the same rank falls back to latest.
 * For every rule, `null` removes the trait as of its event time: older values arriving later do
 * not bring it back, newer ones do. Folding updates in any order gives the same result, which is
 * what lets merges combine two profiles' traits by the same rules — with one exception the state
 * cannot cover: under a rule other than `latest`, a removal that arrives after newer values were
 * already set aside (lost to the winner it now removes) leaves the trait `stale`, and the caller
 * recomputes it from the event archive (the values newer than the removal).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const TRAIT_RULES = ['latest', 'first_seen', 'non_empty', 'source_priority'] as const;
export type TraitRule = (typeof TRAIT_RULES)[number];

/** What is kept per trait (a row of profile_traits). */
export interface StoredTrait {
  /** null: removed (or never set after a removal). */
  readonly value: JsonValue | null;
  /** Event time of the value kept (or of the removal when value is null), epoch ms. */
  readonly eventTs: number;
  /** Earliest event time that ever set this trait. */
  readonly firstTs: number;
  /** The latest removal (a null value), by (event time, messageId): values at or before it never come back. */
  readonly removed: { readonly ts: number; readonly messageId: string | null } | null;
  readonly sourceId: string | null;
  readonly messageId: string | null;
  /** Set when a removal discarded the winner of a rule other than latest: recompute from the archive. */
  readonly stale?: boolean;
}

/** One event's value of one trait. */
export interface TraitUpdate {
  readonly value: JsonValue | null;
  readonly eventTs: number;
  readonly sourceId: string | null;
  readonly messageId: string | null;
}

export interface SurvivorshipSettings {
  readonly defaultRule: TraitRule;
  /** Per trait name. */
  readonly rules: Readonly<Record<string, TraitRule>>;
  /** For `source_priority`: source ids, most trusted first. */
  readonly sourcePriority: readonly string[];
}

export const DEFAULT_SURVIVORSHIP: SurvivorshipSettings = { defaultRule: 'latest', rules: {}, sourcePriority: [] };

export function ruleFor(settings: SurvivorshipSettings, trait: string): TraitRule {
  return settings.rules[trait] ?? settings.defaultRule;
}

const isEmpty = (v: JsonValue | null) => v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** (eventTs, messageId) ordering: positive when a is later. */
function later(a: { eventTs: number; messageId: string | null }, b: { eventTs: number; messageId: string | null }): number {
  if (a.eventTs !== b.eventTs) return a.eventTs - b.eventTs;
  const am = a.messageId ?? '';
  const bm = b.messageId ?? '';
  return am === bm ? 0 : am > bm ? 1 : -1;
}

function rank(sourcePriority: readonly string[], sourceId: string | null): number {
  const i = sourceId === null ? -1 : sourcePriority.indexOf(sourceId);
  return i === -1 ? sourcePriority.length : i;
}

/** Whether a non-null candidate beats the non-null current value under `rule`. */
function beats(candidate: TraitUpdate, current: StoredTrait, rule: TraitRule, sourcePriority: readonly string[]): boolean {
  switch (rule) {
    case 'latest':
      return later(candidate, current) > 0;
    case 'first_seen':
      return later(candidate, current) < 0;
    case 'non_empty':
      if (isEmpty(candidate.value) !== isEmpty(current.value)) return isEmpty(current.value);
      return later(candidate, current) > 0;
    case 'source_priority': {
      const diff = rank(sourcePriority, candidate.sourceId) - rank(sourcePriority, current.sourceId);
      return diff !== 0 ? diff < 0 : later(candidate, current) > 0;
    }
  }
}

/** The stored trait after `update` (the same object when nothing changes). */
export function applyTraitUpdate(current: StoredTrait | undefined, update: TraitUpdate, rule: TraitRule, sourcePriority: readonly string[] = []): StoredTrait {
  const at = { ts: update.eventTs, messageId: update.messageId };
  if (!current) {
    return update.value === null
      ? { value: null, eventTs: update.eventTs, firstTs: update.eventTs, removed: at, sourceId: update.sourceId, messageId: update.messageId }
      : { ...update, firstTs: update.eventTs, removed: null };
  }
  const firstTs = Math.min(current.firstTs, update.eventTs);
  const removedBefore = (u: { eventTs: number; messageId: string | null }) =>
    current.removed !== null && later(u, { eventTs: current.removed.ts, messageId: current.removed.messageId }) <= 0;
  if (update.value === null) {
    if (removedBefore(update)) return firstTs === current.firstTs ? current : { ...current, firstTs };
    // The newest removal so far: it discards the kept value if that is older.
    if (current.value === null || later(update, current) > 0) {
      const stale = current.value !== null && rule !== 'latest' ? true : current.stale;
      return { value: null, eventTs: update.eventTs, firstTs, removed: at, sourceId: update.sourceId, messageId: update.messageId, ...(stale ? { stale } : {}) };
    }
    return { ...current, firstTs, removed: at };
  }
  if (removedBefore(update)) return firstTs === current.firstTs ? current : { ...current, firstTs };
  if (current.value === null || beats(update, current, rule, sourcePriority)) {
    return { ...update, firstTs, removed: current.removed, ...(current.stale ? { stale: true } : {}) };
  }
  return firstTs === current.firstTs ? current : { ...current, firstTs };
}

/** Two profiles' values of one trait combined (a merge): the same answer whichever is `a`. */
export function mergeTraits(a: StoredTrait, b: StoredTrait, rule: TraitRule, sourcePriority: readonly string[] = []): StoredTrait {
  // Replay b's removal (if any) and b's value as updates onto a.
  let out = a;
  if (b.removed !== null) out = applyTraitUpdate(out, { value: null, eventTs: b.removed.ts, sourceId: null, messageId: b.removed.messageId }, rule, sourcePriority);
  if (b.value !== null) out = applyTraitUpdate(out, { value: b.value, eventTs: b.eventTs, sourceId: b.sourceId, messageId: b.messageId }, rule, sourcePriority);
  const firstTs = Math.min(out.firstTs, b.firstTs);
  const stale = out.stale || b.stale;
  return firstTs === out.firstTs && stale === out.stale ? out : { ...out, firstTs, ...(stale ? { stale: true } : {}) };
}

/** The golden record's traits: every trait with a value. */
export function goldenTraits(traits: ReadonlyMap<string, StoredTrait>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, t] of [...traits].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (t.value !== null) out[name] = t.value;
  return out;
}
