/**
 * A tenant's identity rules (table identity_settings, one JSON document per tenant, over these
 * defaults): which identifier types are trusted most, how many of a type one profile may hold,
 * identifier values never to link on, the anomaly guard, and survivorship.
 */
import type { IdentifierType } from '@stratum/schemas';
import { DEFAULT_SURVIVORSHIP, TRAIT_RULES, type SurvivorshipSettings, type TraitRule } from './survivorship/rules';

export const IDENTIFIER_TYPES: readonly IdentifierType[] = ['user_id', 'external_id', 'email', 'phone', 'device_id', 'anonymous_id'];

export interface IdentitySettings {
  /** Identifier types, most trusted first: when links conflict, the most trusted identifier's profile keeps the event and the others yield. */
  readonly priority: readonly IdentifierType[];
  /** Most identifiers of a type one profile may hold; a type not listed is unlimited. */
  readonly limits: Readonly<Partial<Record<IdentifierType, number>>>;
  /** Count only identifiers first seen within this many seconds toward the limits (null: all of them). */
  readonly limitWindowSeconds: number | null;
  /** valueHash values never linked on, per type (e.g. a shared test email, a placeholder phone). */
  readonly blockedHashes: Readonly<Partial<Record<IdentifierType, readonly string[]>>>;
  /** Regular expressions on the cleartext value (types that carry one: user_id, anonymous_id, device_id, external_id). */
  readonly blockedPatterns: Readonly<Partial<Record<IdentifierType, readonly string[]>>>;
  /**
   * The anomaly guard: a merge that would make one identifier join more than maxProfiles profiles
   * within windowSeconds (or one event fuse more than maxProfiles at once) goes to the review queue
   * instead — the shape of a shared device, a test account or a scripted attack, not of a person.
   */
  readonly anomaly: { readonly maxProfiles: number; readonly windowSeconds: number };
  readonly survivorship: SurvivorshipSettings;
}

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  priority: IDENTIFIER_TYPES,
  // One person has one userId; a handful of emails and phones is normal, dozens is a shared or synthetic one.
  limits: { user_id: 1, email: 5, phone: 5 },
  limitWindowSeconds: null,
  blockedHashes: {},
  blockedPatterns: {},
  anomaly: { maxProfiles: 5, windowSeconds: 86_400 },
  survivorship: DEFAULT_SURVIVORSHIP,
};

/** Problems with a settings document, each naming the field; empty when it is valid. */
export function checkIdentitySettings(input: unknown): string[] {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return ['settings must be a JSON object'];
  const s = input as Record<string, unknown>;
  const types = new Set<string>(IDENTIFIER_TYPES);
  const typeMap = (field: string, check: (v: unknown) => boolean, expected: string) => {
    const v = s[field];
    if (v === undefined) return;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return void problems.push(`${field} must be an object keyed by identifier type`);
    for (const [k, x] of Object.entries(v)) {
      if (!types.has(k)) problems.push(`${field}.${k}: not an identifier type (${IDENTIFIER_TYPES.join(', ')})`);
      else if (!check(x)) problems.push(`${field}.${k} must be ${expected}`);
    }
  };
  if (s.priority !== undefined && (!Array.isArray(s.priority) || s.priority.some((t) => !types.has(String(t))) || new Set(s.priority).size !== s.priority.length)) {
    problems.push(`priority must list distinct identifier types (${IDENTIFIER_TYPES.join(', ')})`);
  }
  typeMap('limits', (x) => Number.isInteger(x) && (x as number) >= 1, 'a whole number ≥ 1');
  typeMap('blockedHashes', (x) => Array.isArray(x) && x.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)), 'a list of lower-case hex SHA-256 hashes');
  typeMap(
    'blockedPatterns',
    (x) =>
      Array.isArray(x) &&
      x.every((p) => {
        try {
          return typeof p === 'string' && (new RegExp(p), true);
        } catch {
          return false;
        }
      }),
    'a list of valid regular expressions',
  );
  if (s.limitWindowSeconds !== undefined && s.limitWindowSeconds !== null && !(Number.isInteger(s.limitWindowSeconds) && (s.limitWindowSeconds as number) > 0)) {
    problems.push('limitWindowSeconds must be a whole number of seconds > 0, or null');
  }
  const anomaly = s.anomaly as { maxProfiles?: unknown; windowSeconds?: unknown } | undefined;
  if (anomaly !== undefined) {
    if (typeof anomaly !== 'object' || anomaly === null) problems.push('anomaly must be an object');
    else {
      if (anomaly.maxProfiles !== undefined && !(Number.isInteger(anomaly.maxProfiles) && (anomaly.maxProfiles as number) >= 2)) problems.push('anomaly.maxProfiles must be a whole number ≥ 2');
      if (anomaly.windowSeconds !== undefined && !(Number.isInteger(anomaly.windowSeconds) && (anomaly.windowSeconds as number) >= 1)) problems.push('anomaly.windowSeconds must be a whole number of seconds ≥ 1');
    }
  }
  const sv = s.survivorship as { defaultRule?: unknown; rules?: unknown; sourcePriority?: unknown } | undefined;
  if (sv !== undefined) {
    const rules = new Set<string>(TRAIT_RULES);
    if (sv.defaultRule !== undefined && !rules.has(String(sv.defaultRule))) problems.push(`survivorship.defaultRule must be one of ${TRAIT_RULES.join(', ')}`);
    if (sv.rules !== undefined) {
      if (typeof sv.rules !== 'object' || sv.rules === null) problems.push('survivorship.rules must be an object of trait → rule');
      else for (const [k, r] of Object.entries(sv.rules)) if (!rules.has(String(r))) problems.push(`survivorship.rules.${k} must be one of ${TRAIT_RULES.join(', ')}`);
    }
    if (sv.sourcePriority !== undefined && !(Array.isArray(sv.sourcePriority) && sv.sourcePriority.every((x) => typeof x === 'string'))) problems.push('survivorship.sourcePriority must be a list of source ids');
  }
  return problems;
}

/** A stored settings document: any part of the settings, nested objects partial too. */
export type IdentitySettingsDocument = Partial<Omit<IdentitySettings, 'anomaly' | 'survivorship'>> & {
  readonly anomaly?: Partial<IdentitySettings['anomaly']>;
  readonly survivorship?: Partial<SurvivorshipSettings>;
};

/** The effective settings: the stored document over the defaults (call checkIdentitySettings first). */
export function identitySettings(stored: IdentitySettingsDocument | null | undefined): IdentitySettings {
  if (!stored) return DEFAULT_IDENTITY_SETTINGS;
  return {
    ...DEFAULT_IDENTITY_SETTINGS,
    ...stored,
    anomaly: { ...DEFAULT_IDENTITY_SETTINGS.anomaly, ...stored.anomaly },
    survivorship: { ...DEFAULT_SURVIVORSHIP, ...stored.survivorship, rules: { ...stored.survivorship?.rules } as Record<string, TraitRule> },
  };
}
