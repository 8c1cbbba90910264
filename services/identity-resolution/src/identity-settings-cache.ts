/**
 * Each tenant's identity settings (identity_settings over the defaults), cached for ttlMs so a
 * chunk costs no extra round trip; a change takes effect within the TTL.
 */
import type { Db } from '@stratum/db';
import { loadIdentitySettings, withTenant, type IdentitySettings } from '@stratum/identity';

export function identitySettingsCache(db: Db, ttlMs: number, now: () => number = Date.now): (tenantId: string) => Promise<IdentitySettings> {
  const cache = new Map<string, { at: number; settings: IdentitySettings }>();
  return async (tenantId) => {
    const hit = cache.get(tenantId);
    if (hit && now() - hit.at < ttlMs) return hit.settings;
    const settings = await withTenant(db, tenantId, (trx) => loadIdentitySettings(trx, tenantId));
    cache.set(tenantId, { at: now(), settings });
    return settings;
  };
}
