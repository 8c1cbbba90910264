/**
 * Each tenant's destinations (enabled and disabled), read with listDestinations and kept for
 * `ttlMs`: a chunk of retries asks once per tenant, and a disabled destination or a changed
 * policy is seen within the TTL. A drop must not rest on a stale answer, so callers that are
 * about to skip a record because its destination is missing or disabled ask `fresh` first.
 */
import type { Db } from '@stratum/db';
import { listDestinations, type DestinationSummary } from '@stratum/destinations';

export type TenantDestinations = ReadonlyMap<string, DestinationSummary>;

export interface DestinationCache {
  /** The tenant's destinations by id, from the cache while it is younger than the TTL. */
  forTenant(tenantId: string): Promise<TenantDestinations>;
  /** Read again now (and cache the answer). */
  fresh(tenantId: string): Promise<TenantDestinations>;
}

/** How the cache reads a tenant's destinations; tests pass their own. */
export type DestinationLister = (tenantId: string) => Promise<readonly DestinationSummary[]>;

export const listFromDb =
  (db: Db): DestinationLister =>
  (tenantId) =>
    listDestinations(db, tenantId, { includeDisabled: true });

export function createDestinationCache(list: DestinationLister, options: { ttlMs: number; now?: () => number }): DestinationCache {
  const now = options.now ?? Date.now;
  // The promise is cached, so concurrent chunks of one tenant share one read; a failed read is forgotten.
  const entries = new Map<string, { readAt: number; value: Promise<TenantDestinations> }>();

  function read(tenantId: string): Promise<TenantDestinations> {
    const value = list(tenantId).then((ds) => new Map(ds.map((d) => [d.destinationId, d])) as TenantDestinations);
    const entry = { readAt: now(), value };
    entries.set(tenantId, entry);
    value.catch(() => {
      if (entries.get(tenantId) === entry) entries.delete(tenantId);
    });
    return value;
  }

  return {
    forTenant(tenantId) {
      const entry = entries.get(tenantId);
      return entry !== undefined && now() - entry.readAt < options.ttlMs ? entry.value : read(tenantId);
    },
    fresh: read,
  };
}
