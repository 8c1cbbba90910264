/**
 * A TenancyDirectory over fixed values, for unit tests of code that only reads tenancy (the
 * gateway's HTTP layer, ingest's steps). Integration tests use the PostgreSQL directory.
 */
import { hashWriteKey } from './keys';
import type { SourceSettings, TenancyDirectory } from './settings';

export interface InMemorySource {
  readonly settings: SourceSettings;
  readonly writeKeys: readonly string[];
}

export function inMemoryDirectory(sources: readonly InMemorySource[]): TenancyDirectory {
  const byKeyHash = new Map<string, SourceSettings>();
  const byIds = new Map<string, SourceSettings>();
  for (const { settings, writeKeys } of sources) {
    byIds.set(`${settings.tenantId}:${settings.sourceId}`, settings);
    for (const key of writeKeys) byKeyHash.set(hashWriteKey(key), settings);
  }
  return {
    sourceForWriteKey: async (writeKey) => byKeyHash.get(hashWriteKey(writeKey)) ?? null,
    source: async (tenantId, sourceId) => byIds.get(`${tenantId}:${sourceId}`) ?? null,
  };
}
