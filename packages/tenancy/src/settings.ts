/**
 * What the edge and ingest need to know about a source, as one immutable value: who owns it,
 * its limits, its tracking plan and its normalisation settings. Read from PostgreSQL through a
 * cached directory (directory.ts); the gateway finds it by write key, ingest by tenant + source.
 */

/** Per-source request limits. Defaults follow Segment's HTTP API (DEFAULT_LIMITS). */
export interface SourceLimits {
  /** Largest single event, bytes of its JSON (Segment: 32 KB). */
  readonly maxEventBytes: number;
  /** Largest request body, bytes after decompression (Segment: 500 KB). */
  readonly maxBatchBytes: number;
  /** Most events in one /v1/batch or /v1/import request (Segment: 2,500). */
  readonly maxBatchEvents: number;
  /** Sustained events per second per write key; 0 = unlimited. */
  readonly rateLimitPerSecond: number;
  /** Events a write key may send at once above the sustained rate (token-bucket size). */
  readonly rateLimitBurst: number;
}

export const DEFAULT_LIMITS: SourceLimits = Object.freeze({
  maxEventBytes: 32 * 1024,
  maxBatchBytes: 500 * 1024,
  maxBatchEvents: 2_500,
  rateLimitPerSecond: 5_000,
  rateLimitBurst: 10_000,
});

/** The strictest limits a source may be configured to (the seed customer's 256 KB / 50 sits above them). */
export const MIN_LIMITS = Object.freeze({ maxEventBytes: 1024, maxBatchBytes: 1024, maxBatchEvents: 1 });

/**
 * What ingest does with events the plan does not describe:
 * - `allow`: unplanned events and properties pass; planned events that break their schema are quarantined.
 * - `omit_unplanned_properties`: like allow, and properties/traits the planned schema does not list are removed.
 * - `block`: unplanned events are quarantined too.
 */
export const TRACKING_PLAN_MODES = ['allow', 'omit_unplanned_properties', 'block'] as const;
export type TrackingPlanMode = (typeof TRACKING_PLAN_MODES)[number];

/** Segment call types a plan entry can describe. */
export const PLANNED_EVENT_TYPES = ['track', 'identify', 'group', 'page', 'screen'] as const;
export type PlannedEventType = (typeof PLANNED_EVENT_TYPES)[number];

/** One version of one planned event. */
export interface PlannedEvent {
  readonly type: PlannedEventType;
  /** track: the event name; page/screen: the page/screen name; identify/group: null (one schema for all). */
  readonly name: string | null;
  /** Semver, e.g. 1.2.0. An event may declare the version it was built against (`schemaVersion`). */
  readonly version: string;
  /** JSON Schema (ajv, draft 2020-12 or draft-07) of `properties` (track/page/screen) or `traits` (identify/group). */
  readonly schema: Readonly<Record<string, unknown>>;
}

export interface TrackingPlan {
  readonly mode: TrackingPlanMode;
  /** The version stamped on events that declare none (semver). */
  readonly defaultSchemaVersion: string;
  readonly events: readonly PlannedEvent[];
}

export const EMPTY_TRACKING_PLAN: TrackingPlan = Object.freeze({ mode: 'allow', defaultSchemaVersion: '1.0.0', events: Object.freeze([]) });

/**
 * Bounds of a configured dedup window (seconds; the window in which dedup drops repeats of a
 * (tenantId, messageId)): 1 minute to 90 days. The same bounds are CHECK constraints on the columns.
 */
export const MIN_DEDUP_WINDOW_SECONDS = 60;
export const MAX_DEDUP_WINDOW_SECONDS = 90 * 86_400;

/** `keep`: cleartext email/phone/IP stay in traits, properties and context; `drop`: removed after hashing (only hashes travel on). */
export const PII_POLICIES = ['keep', 'drop'] as const;
export type PiiPolicy = (typeof PII_POLICIES)[number];

export interface SourceSettings {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly sourceId: string;
  readonly sourceName: string;
  /** A disabled source's write keys are refused (401) and its Kafka events quarantined. */
  readonly enabled: boolean;
  readonly limits: SourceLimits;
  readonly trackingPlan: TrackingPlan;
  /** ISO 3166-1 alpha-2 region for phone numbers written without a country code (e.g. US); null = only +E.164 input is accepted. */
  readonly defaultPhoneRegion: string | null;
  /** The tenant's policy. */
  readonly piiPolicy: PiiPolicy;
  /**
   * The effective dedup window override, in seconds: the source's own, else its tenant's, else
   * null, meaning the dedup service's default applies (a service setting, not stored here).
   */
  readonly dedupWindowSeconds: number | null;
}

/**
 * A source as provisioning shows it to operators (getSource, listSources, updateSource): the
 * settings services see, plus what is configured on the source itself, so "what is set where"
 * stays visible. `dedupWindowSeconds` keeps its one meaning (effective) on every SourceSettings.
 */
export interface SourceDetails extends SourceSettings {
  /** The source's own dedup window in seconds; null = it inherits its tenant's (listTenants shows that one). */
  readonly configuredDedupWindowSeconds: number | null;
}

/** Look-ups the gateway and ingest use; implemented over PostgreSQL with a cache (createTenancyDirectory). */
export interface TenancyDirectory {
  /** The source a write key belongs to, or null for an unknown or revoked key. */
  sourceForWriteKey(writeKey: string): Promise<SourceSettings | null>;
  /** A source by ids (ingest: events published straight to Kafka name their tenant and source). */
  source(tenantId: string, sourceId: string): Promise<SourceSettings | null>;
}

/** Complete settings from a partial (tests, the in-memory directory, defaults for new sources). */
export function sourceSettings(partial: Partial<SourceSettings> & Pick<SourceSettings, 'tenantId' | 'sourceId'>): SourceSettings {
  return Object.freeze({
    tenantName: partial.tenantId,
    sourceName: partial.sourceId,
    enabled: true,
    trackingPlan: EMPTY_TRACKING_PLAN,
    defaultPhoneRegion: null,
    piiPolicy: 'keep',
    dedupWindowSeconds: null,
    ...partial,
    limits: Object.freeze({ ...DEFAULT_LIMITS, ...partial.limits }),
  });
}
