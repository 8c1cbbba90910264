/**
 * The TenancyDirectory over PostgreSQL, cached, because the gateway checks a write key on every
 * request and ingest a source on every chunk:
 * - entries live `ttlMs` (default 5 s): a revoked key or a changed limit takes effect within it;
 * - unknown keys are remembered for `negativeTtlMs` too, so a client hammering with a bad key
 *   costs one query per interval, not one per request;
 * - concurrent misses for the same key share one query;
 * - when PostgreSQL is down, an expired entry is served for up to `staleTtlMs` (default 10 min):
 *   known sources keep ingesting through a database blip (the gateway owns no state, and Kafka is
 *   what it must not lose); a key never seen before gets `tenancy_unavailable` (→ 503, not 401).
 */
import type { Db } from '@stratum/db';
import { guarded } from './errors';
import { hashWriteKey } from './keys';
import { selectSources } from './rows';
import type { SourceSettings, TenancyDirectory } from './settings';
import { TtlCache, ttlCacheOptions } from './ttl-cache';

export interface TenancyDirectoryOptions {
  ttlMs?: number;
  negativeTtlMs?: number;
  staleTtlMs?: number;
  /** Entries kept at most (oldest dropped first). */
  maxEntries?: number;
  /** For tests. */
  now?: () => number;
}

async function guardedSelect(db: Db, where: Parameters<typeof selectSources>[1]): Promise<SourceSettings | null> {
  const [source] = await guarded('read tenancy', () => selectSources(db, where));
  return source ?? null;
}

export function createTenancyDirectory(db: Db, options: TenancyDirectoryOptions = {}): TenancyDirectory {
  const settings = ttlCacheOptions(options);
  const byKeyHash = new TtlCache<SourceSettings>(settings, (keyHash) =>
    guardedSelect(db, (q) =>
      q
        .join('write_keys as k', 'k.source_id', 's.id')
        .where('k.key_hash', keyHash)
        .where((w) => w.whereNull('k.expires_at').orWhere('k.expires_at', '>', db.fn.now())),
    ),
  );
  const byIds = new TtlCache<SourceSettings>(settings, (ids) => {
    const [tenantId, sourceId] = ids.split('\u0000') as [string, string];
    return guardedSelect(db, (q) => q.where({ 's.id': sourceId, 's.tenant_id': tenantId }));
  });
  return {
    sourceForWriteKey: (writeKey) => byKeyHash.get(hashWriteKey(writeKey)),
    source: (tenantId, sourceId) => byIds.get(`${tenantId}\u0000${sourceId}`),
  };
}
