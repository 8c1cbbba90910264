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
import { guarded, tenancyErrors } from './errors';
import { hashWriteKey } from './keys';
import { selectSources } from './rows';
import type { SourceSettings, TenancyDirectory } from './settings';

export interface TenancyDirectoryOptions {
  ttlMs?: number;
  negativeTtlMs?: number;
  staleTtlMs?: number;
  /** Entries kept at most (oldest dropped first). */
  maxEntries?: number;
  /** For tests. */
  now?: () => number;
}

interface Entry {
  readonly value: SourceSettings | null;
  readonly loadedAt: number;
}

class Cache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<SourceSettings | null>>();

  constructor(
    private readonly options: Required<Omit<TenancyDirectoryOptions, 'now'>> & { now: () => number },
    private readonly load: (key: string) => Promise<SourceSettings | null>,
  ) {}

  async get(key: string): Promise<SourceSettings | null> {
    const entry = this.entries.get(key);
    const age = entry ? this.options.now() - entry.loadedAt : Infinity;
    if (entry && age < (entry.value ? this.options.ttlMs : this.options.negativeTtlMs)) return entry.value;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.refresh(key, entry, age).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async refresh(key: string, stale: Entry | undefined, age: number): Promise<SourceSettings | null> {
    try {
      const value = await this.load(key);
      this.set(key, value);
      return value;
    } catch (err) {
      if (stale?.value && age < this.options.staleTtlMs && tenancyErrors.is(err, 'tenancy_unavailable')) return stale.value;
      throw err;
    }
  }

  private set(key: string, value: SourceSettings | null): void {
    this.entries.delete(key);
    this.entries.set(key, { value, loadedAt: this.options.now() });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

async function guardedSelect(db: Db, where: Parameters<typeof selectSources>[1]): Promise<SourceSettings | null> {
  const [source] = await guarded('read tenancy', () => selectSources(db, where));
  return source ?? null;
}

export function createTenancyDirectory(db: Db, options: TenancyDirectoryOptions = {}): TenancyDirectory {
  const ttlMs = options.ttlMs ?? 5_000;
  const settings = {
    ttlMs,
    negativeTtlMs: options.negativeTtlMs ?? Math.min(ttlMs, 2_000),
    staleTtlMs: options.staleTtlMs ?? 600_000,
    maxEntries: options.maxEntries ?? 100_000,
    now: options.now ?? Date.now,
  };
  const byKeyHash = new Cache(settings, (keyHash) =>
    guardedSelect(db, (q) =>
      q
        .join('write_keys as k', 'k.source_id', 's.id')
        .where('k.key_hash', keyHash)
        .where((w) => w.whereNull('k.expires_at').orWhere('k.expires_at', '>', db.fn.now())),
    ),
  );
  const byIds = new Cache(settings, (ids) => {
    const [tenantId, sourceId] = ids.split('\u0000') as [string, string];
    return guardedSelect(db, (q) => q.where({ 's.id': sourceId, 's.tenant_id': tenantId }));
  });
  return {
    sourceForWriteKey: (writeKey) => byKeyHash.get(hashWriteKey(writeKey)),
    source: (tenantId, sourceId) => byIds.get(`${tenantId}\u0000${sourceId}`),
  };
}
