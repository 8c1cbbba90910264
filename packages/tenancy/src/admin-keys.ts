/**
 * Admin keys (`sk_…`) → their tenant, for the tenant-facing admin APIs (the profile API). Keys are
 * stored as SHA-256 hashes (keys.ts) with an optional expiry; the look-up is cached like the
 * write-key directory (ttl-cache.ts): a revoked or expired key keeps working for at most `ttlMs`,
 * an unknown key costs one query per `negativeTtlMs`, and known keys ride out a PostgreSQL blip.
 */
import type { Db } from '@stratum/db';
import type { TenancyDirectoryOptions } from './directory';
import { guarded } from './errors';
import { hashWriteKey } from './keys';
import { TtlCache, ttlCacheOptions } from './ttl-cache';

/** The tenant an admin key acts for. */
export interface AdminKeyTenant {
  readonly tenantId: string;
  readonly tenantName: string;
}

/** Cached look-up of admin keys (createAdminKeyDirectory). */
export interface AdminKeyDirectory {
  /** The key's tenant, or null for an unknown, expired or revoked key; throws tenancy_unavailable when PostgreSQL cannot answer. */
  tenantForAdminKey(adminKey: string): Promise<AdminKeyTenant | null>;
}

/** The tenant of an admin key, uncached (one query): null when unknown or expired. */
export async function tenantForAdminKey(db: Db, adminKey: string): Promise<AdminKeyTenant | null> {
  return tenantForKeyHash(db, hashWriteKey(adminKey));
}

async function tenantForKeyHash(db: Db, keyHash: string): Promise<AdminKeyTenant | null> {
  const row = await guarded('read admin keys', () =>
    db('admin_keys as k')
      .join('tenants as t', 't.id', 'k.tenant_id')
      .where('k.key_hash', keyHash)
      .where((w) => w.whereNull('k.expires_at').orWhere('k.expires_at', '>', db.fn.now()))
      .first<{ tenant_id: string; tenant_name: string } | undefined>('t.id as tenant_id', 't.name as tenant_name'),
  );
  return row ? Object.freeze({ tenantId: row.tenant_id, tenantName: row.tenant_name }) : null;
}

/** The cached admin-key directory over PostgreSQL (same options and defaults as createTenancyDirectory). */
export function createAdminKeyDirectory(db: Db, options: TenancyDirectoryOptions = {}): AdminKeyDirectory {
  const byKeyHash = new TtlCache<AdminKeyTenant>(ttlCacheOptions(options), (keyHash) => tenantForKeyHash(db, keyHash));
  return { tenantForAdminKey: (adminKey) => byKeyHash.get(hashWriteKey(adminKey)) };
}
