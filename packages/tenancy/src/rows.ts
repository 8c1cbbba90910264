/** Mapping between the tenancy tables' rows and SourceSettings (one place for column names). */
import type { Db } from '@stratum/db';
import type { Knex } from 'knex';
import type { PiiPolicy, PlannedEvent, PlannedEventType, SourceDetails, SourceLimits, SourceSettings, TrackingPlanMode } from './settings';

/** sources joined with tenants, as selected by sourceRowColumns(). */
export interface SourceRow {
  tenant_id: string;
  tenant_name: string;
  pii_policy: PiiPolicy;
  source_id: string;
  source_name: string;
  enabled: boolean;
  max_event_bytes: number;
  max_batch_bytes: number;
  max_batch_events: number;
  rate_limit_per_second: number;
  rate_limit_burst: number;
  default_phone_region: string | null;
  tracking_plan_mode: TrackingPlanMode;
  default_schema_version: string;
  /** Effective: the source's window, else the tenant's (COALESCE in sourceRowColumns). */
  dedup_window_seconds: number | null;
  /** The source's own column, for operators. */
  source_dedup_window_seconds: number | null;
}

export const SOURCE_COLUMNS = [
  't.id as tenant_id',
  't.name as tenant_name',
  't.pii_policy',
  's.id as source_id',
  's.name as source_name',
  's.enabled',
  's.max_event_bytes',
  's.max_batch_bytes',
  's.max_batch_events',
  's.rate_limit_per_second',
  's.rate_limit_burst',
  's.default_phone_region',
  's.tracking_plan_mode',
  's.default_schema_version',
  's.dedup_window_seconds as source_dedup_window_seconds',
];

/**
 * The columns of a SourceRow. The effective dedup window is resolved in the query (source over
 * tenant) so every reader, cached or not, gets the same answer from one place.
 */
export function sourceRowColumns(db: Db): Array<string | Knex.Raw> {
  return [...SOURCE_COLUMNS, db.raw('COALESCE(s.dedup_window_seconds, t.dedup_window_seconds) AS dedup_window_seconds')];
}

interface PlanRow {
  source_id: string;
  event_type: PlannedEventType;
  event_name: string;
  version: string;
  schema: Record<string, unknown>;
}

export function limitColumns(limits: SourceLimits) {
  return {
    max_event_bytes: limits.maxEventBytes,
    max_batch_bytes: limits.maxBatchBytes,
    max_batch_events: limits.maxBatchEvents,
    rate_limit_per_second: limits.rateLimitPerSecond,
    rate_limit_burst: limits.rateLimitBurst,
  };
}

/** The planned events of several sources in one query, grouped by source id. */
export async function loadPlans(db: Db, sourceIds: readonly string[]): Promise<Map<string, PlannedEvent[]>> {
  const byId = new Map<string, PlannedEvent[]>(sourceIds.map((id) => [id, []]));
  if (sourceIds.length === 0) return byId;
  const rows: PlanRow[] = await db('tracking_plan_events')
    .select('source_id', 'event_type', 'event_name', 'version', 'schema')
    .whereIn('source_id', sourceIds)
    .orderBy(['event_type', 'event_name', 'version']);
  for (const r of rows) {
    byId.get(r.source_id)?.push(Object.freeze({ type: r.event_type, name: r.event_name === '' ? null : r.event_name, version: r.version, schema: Object.freeze(r.schema) }));
  }
  return byId;
}

export function settingsFromRow(row: SourceRow, plan: readonly PlannedEvent[]): SourceDetails {
  const settings: SourceSettings = {
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    sourceId: row.source_id,
    sourceName: row.source_name,
    enabled: row.enabled,
    limits: Object.freeze({
      maxEventBytes: row.max_event_bytes,
      maxBatchBytes: row.max_batch_bytes,
      maxBatchEvents: row.max_batch_events,
      rateLimitPerSecond: row.rate_limit_per_second,
      rateLimitBurst: row.rate_limit_burst,
    }),
    trackingPlan: Object.freeze({ mode: row.tracking_plan_mode, defaultSchemaVersion: row.default_schema_version, events: Object.freeze([...plan]) }),
    defaultPhoneRegion: row.default_phone_region,
    piiPolicy: row.pii_policy,
    dedupWindowSeconds: row.dedup_window_seconds,
  };
  return Object.freeze({ ...settings, configuredDedupWindowSeconds: row.source_dedup_window_seconds });
}

/** Sources (with their tenant) matching `where`, with their plans. */
export async function selectSources(db: Db, where: (q: ReturnType<Db>) => void): Promise<SourceDetails[]> {
  const query = db('sources as s').join('tenants as t', 't.id', 's.tenant_id').select(sourceRowColumns(db)).orderBy(['t.name', 's.name']);
  where(query);
  const rows: SourceRow[] = await query;
  const plans = await loadPlans(db, rows.map((r) => r.source_id));
  return rows.map((r) => settingsFromRow(r, plans.get(r.source_id) ?? []));
}
