/**
 * Provisioning: what `stratum tenant|source|writekey` and the admin API do. Every write is one
 * transaction; creating a tenant is idempotent by name (a unique index on lower(name) decides a
 * race between two concurrent creates). Keys are returned once, at creation, and stored hashed.
 */
import type { Db } from '@stratum/db';
import type { Knex } from 'knex';
import { guarded, tenancyErrors } from './errors';
import { newId } from './ids';
import { ADMIN_KEY_PREFIX, hashWriteKey, keyHint, newKey, WRITE_KEY_PREFIX } from './keys';
import { limitColumns, selectSources } from './rows';
import { DEFAULT_LIMITS, EMPTY_TRACKING_PLAN, type PiiPolicy, type SourceDetails, type SourceLimits, type TrackingPlan } from './settings';
import { checkDedupWindow, checkLimits, checkName, checkPiiPolicy, checkRegion, checkTrackingPlan } from './validate';

export const DEFAULT_SOURCE_NAME = 'default';

export interface SourceOptions {
  limits?: Partial<SourceLimits>;
  trackingPlan?: TrackingPlan;
  defaultPhoneRegion?: string | null;
  enabled?: boolean;
  /**
   * The source's own dedup window in seconds (MIN_/MAX_DEDUP_WINDOW_SECONDS); null = inherit the
   * tenant's. Absent: unchanged on update, inherit on create.
   */
  dedupWindowSeconds?: number | null;
}

export interface ProvisionTenantOptions extends SourceOptions {
  name: string;
  piiPolicy?: PiiPolicy;
}

/** A tenant as listTenants and updateTenant show it. */
export interface TenantSummary {
  tenantId: string;
  name: string;
  piiPolicy: PiiPolicy;
  /** The tenant's dedup window in seconds, inherited by its sources that set none; null = the dedup service's default. */
  dedupWindowSeconds: number | null;
}

export interface TenantUpdate {
  /** Seconds within MIN_/MAX_DEDUP_WINDOW_SECONDS, or null to clear (the service default applies). */
  dedupWindowSeconds: number | null;
}

export interface ProvisionedTenant {
  tenantId: string;
  sourceId: string;
  /** Null when the tenant already existed: keys are shown once; `stratum writekey rotate` issues a new one. */
  writeKey: string | null;
  adminKey: string | null;
  created: boolean;
}

export interface CreatedSource {
  tenantId: string;
  sourceId: string;
  writeKey: string;
}

export interface RotatedKey {
  tenantId: string;
  sourceId: string;
  writeKey: string;
  /** When the keys it replaced stop working (now, unless a grace period was asked for). */
  previousKeysExpireAt: string;
  previousKeys: number;
}

function sourceColumns(options: SourceOptions) {
  const limits = checkLimits({ ...DEFAULT_LIMITS, ...options.limits });
  const plan = options.trackingPlan === undefined ? undefined : checkTrackingPlan(options.trackingPlan);
  return {
    columns: {
      ...limitColumns(limits),
      ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
      default_phone_region: checkRegion(options.defaultPhoneRegion ?? null),
      dedup_window_seconds: checkDedupWindow(options.dedupWindowSeconds ?? null),
      tracking_plan_mode: (plan ?? EMPTY_TRACKING_PLAN).mode,
      default_schema_version: (plan ?? EMPTY_TRACKING_PLAN).defaultSchemaVersion,
    },
    plan,
  };
}

async function insertPlanEvents(trx: Knex.Transaction, tenantId: string, sourceId: string, plan: TrackingPlan): Promise<void> {
  await trx('tracking_plan_events').where({ source_id: sourceId }).delete();
  if (plan.events.length === 0) return;
  await trx('tracking_plan_events').insert(
    plan.events.map((e) => ({ tenant_id: tenantId, source_id: sourceId, event_type: e.type, event_name: e.name ?? '', version: e.version, schema: JSON.stringify(e.schema) })),
  );
}

async function insertWriteKey(trx: Knex.Transaction, tenantId: string, sourceId: string): Promise<string> {
  const writeKey = newKey(WRITE_KEY_PREFIX);
  await trx('write_keys').insert({ key_hash: hashWriteKey(writeKey), tenant_id: tenantId, source_id: sourceId, hint: keyHint(writeKey) });
  return writeKey;
}

/**
 * Creates a tenant with a default source, a write key and an admin key; returns the existing ids
 * when the name is taken. The source options (limits, plan, dedup window...) are the default
 * source's; the tenant's own dedup window is set with updateTenant.
 */
export async function provisionTenant(db: Db, options: ProvisionTenantOptions): Promise<ProvisionedTenant> {
  const name = checkName('tenant', options.name);
  const piiPolicy = checkPiiPolicy(options.piiPolicy ?? 'keep');
  const { columns, plan } = sourceColumns(options);
  return guarded('create the tenant', () =>
    db.transaction(async (trx) => {
      const tenantId = newId('ten');
      const inserted = await trx.raw<{ rows: Array<{ id: string }> }>(
        'INSERT INTO tenants (id, name, pii_policy) VALUES (?, ?, ?) ON CONFLICT ((lower(name))) DO NOTHING RETURNING id',
        [tenantId, name, piiPolicy],
      );
      if (inserted.rows.length === 0) {
        const existing = await trx('tenants as t')
          .join('sources as s', 's.tenant_id', 't.id')
          .whereRaw('lower(t.name) = lower(?)', [name])
          .orderBy('s.created_at')
          .first('t.id as tenant_id', 's.id as source_id');
        if (!existing) throw tenancyErrors.error('not_found', `tenant "${name}" exists but has no source; create one with stratum source create`);
        return { tenantId: existing.tenant_id as string, sourceId: existing.source_id as string, writeKey: null, adminKey: null, created: false };
      }
      const sourceId = newId('src');
      await trx('sources').insert({ id: sourceId, tenant_id: tenantId, name: DEFAULT_SOURCE_NAME, ...columns });
      if (plan) await insertPlanEvents(trx, tenantId, sourceId, plan);
      const writeKey = await insertWriteKey(trx, tenantId, sourceId);
      const adminKey = newKey(ADMIN_KEY_PREFIX);
      await trx('admin_keys').insert({ key_hash: hashWriteKey(adminKey), tenant_id: tenantId, hint: keyHint(adminKey) });
      return { tenantId, sourceId, writeKey, adminKey, created: true };
    }),
  );
}

/** A tenant by id or (case-insensitive) name. */
export async function findTenant(db: Db, idOrName: string): Promise<{ tenantId: string; name: string; piiPolicy: PiiPolicy }> {
  const row = await guarded('read tenants', () =>
    db('tenants').where({ id: idOrName }).orWhereRaw('lower(name) = lower(?)', [idOrName]).first('id', 'name', 'pii_policy'),
  );
  if (!row) throw tenancyErrors.error('not_found', `no tenant with id or name "${idOrName}"`);
  return { tenantId: row.id, name: row.name, piiPolicy: row.pii_policy };
}

interface TenantRow {
  id: string;
  name: string;
  pii_policy: PiiPolicy;
  dedup_window_seconds: number | null;
}

const tenantSummary = (r: TenantRow): TenantSummary => ({ tenantId: r.id, name: r.name, piiPolicy: r.pii_policy, dedupWindowSeconds: r.dedup_window_seconds });

/** Every tenant with its configured settings (not what its sources end up with: listSources shows that). */
export async function listTenants(db: Db): Promise<Array<TenantSummary & { sources: number; createdAt: string }>> {
  const rows: Array<TenantRow & { sources: number; created_at: Date }> = await guarded('list tenants', () =>
    db('tenants as t')
      .leftJoin('sources as s', 's.tenant_id', 't.id')
      .groupBy('t.id')
      .orderBy('t.name')
      .select('t.id', 't.name', 't.pii_policy', 't.dedup_window_seconds', 't.created_at', db.raw('count(s.id)::int as sources')),
  );
  return rows.map((r) => ({ ...tenantSummary(r), sources: r.sources, createdAt: new Date(r.created_at).toISOString() }));
}

/**
 * Changes a tenant's settings: today its dedup window, the default of its sources that set none
 * (null clears it). Takes the id, not a name: a write should not guess between look-alikes.
 */
export async function updateTenant(db: Db, tenantId: string, update: TenantUpdate): Promise<TenantSummary> {
  const dedupWindowSeconds = checkDedupWindow(update.dedupWindowSeconds);
  const [row] = await guarded('update the tenant', () =>
    db('tenants').where({ id: tenantId }).update({ dedup_window_seconds: dedupWindowSeconds }, ['id', 'name', 'pii_policy', 'dedup_window_seconds']),
  );
  if (!row) throw tenancyErrors.error('not_found', `no tenant with id "${tenantId}"`);
  return tenantSummary(row as TenantRow);
}

/** A new source of an existing tenant, with its first write key. Names are unique per tenant. */
export async function createSource(db: Db, options: SourceOptions & { tenant: string; name: string }): Promise<CreatedSource> {
  const name = checkName('source', options.name);
  const { columns, plan } = sourceColumns(options);
  const { tenantId } = await findTenant(db, options.tenant);
  return guarded('create the source', () =>
    db.transaction(async (trx) => {
      const taken = await trx('sources').where({ tenant_id: tenantId }).whereRaw('lower(name) = lower(?)', [name]).first('id');
      if (taken) throw tenancyErrors.error('invalid_input', `tenant ${tenantId} already has a source named "${name}" (${taken.id})`);
      const sourceId = newId('src');
      await trx('sources').insert({ id: sourceId, tenant_id: tenantId, name, ...columns });
      if (plan) await insertPlanEvents(trx, tenantId, sourceId, plan);
      return { tenantId, sourceId, writeKey: await insertWriteKey(trx, tenantId, sourceId) };
    }),
  );
}

/**
 * Changes a source's limits (merged over its current ones), region, enabled flag, dedup window
 * (null = inherit the tenant's again) and/or tracking plan (replaced whole).
 */
export async function updateSource(db: Db, sourceId: string, options: SourceOptions): Promise<SourceDetails> {
  const current = await getSource(db, sourceId);
  const limits = checkLimits({ ...current.limits, ...options.limits });
  const plan = options.trackingPlan === undefined ? undefined : checkTrackingPlan(options.trackingPlan);
  const dedupWindow = options.dedupWindowSeconds === undefined ? {} : { dedup_window_seconds: checkDedupWindow(options.dedupWindowSeconds) };
  await guarded('update the source', () =>
    db.transaction(async (trx) => {
      await trx('sources')
        .where({ id: sourceId })
        .update({
          ...limitColumns(limits),
          ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
          ...(options.defaultPhoneRegion === undefined ? {} : { default_phone_region: checkRegion(options.defaultPhoneRegion) }),
          ...dedupWindow,
          ...(plan ? { tracking_plan_mode: plan.mode, default_schema_version: plan.defaultSchemaVersion } : {}),
          updated_at: trx.fn.now(),
        });
      if (plan) await insertPlanEvents(trx, current.tenantId, sourceId, plan);
    }),
  );
  return getSource(db, sourceId);
}

/** A source's settings (the effective dedup window) and its configured dedup window. */
export async function getSource(db: Db, sourceId: string): Promise<SourceDetails> {
  const [source] = await guarded('read sources', () => selectSources(db, (q) => q.where('s.id', sourceId)));
  if (!source) throw tenancyErrors.error('not_found', `no source with id "${sourceId}"`);
  return source;
}

export async function listSources(db: Db, tenant: string): Promise<SourceDetails[]> {
  const { tenantId } = await findTenant(db, tenant);
  return guarded('list sources', () => selectSources(db, (q) => q.where('s.tenant_id', tenantId)));
}

/**
 * Issues a new write key for a source. The keys it replaces stop working after `graceSeconds`
 * (0 = at once, the right default after a leak; give SDK fleets time to update otherwise).
 */
export async function rotateWriteKey(db: Db, sourceId: string, options: { graceSeconds?: number } = {}): Promise<RotatedKey> {
  const grace = options.graceSeconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0) throw tenancyErrors.error('invalid_input', `grace must be a whole number of seconds ≥ 0, got ${grace}`);
  const source = await getSource(db, sourceId);
  return guarded('rotate the write key', () =>
    db.transaction(async (trx) => {
      const expiresAt = new Date(Date.now() + grace * 1000);
      const previousKeys = await trx('write_keys')
        .where({ source_id: sourceId })
        .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', expiresAt))
        .update({ expires_at: expiresAt });
      const writeKey = await insertWriteKey(trx, source.tenantId, sourceId);
      return { tenantId: source.tenantId, sourceId, writeKey, previousKeysExpireAt: expiresAt.toISOString(), previousKeys };
    }),
  );
}
