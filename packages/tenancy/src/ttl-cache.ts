/**
 * The cache behind the directories (directory.ts, admin-keys.ts): entries live `ttlMs`; misses
 * (null) `negativeTtlMs`; concurrent misses for one key share one load; and when the load fails
 * with tenancy_unavailable (PostgreSQL down), an expired non-null entry is served for up to
 * `staleTtlMs`, so a database blip does not turn known keys away.
 */
import { tenancyErrors } from './errors';

export interface TtlCacheOptions {
  readonly ttlMs: number;
  readonly negativeTtlMs: number;
  readonly staleTtlMs: number;
  /** Entries kept at most (oldest dropped first). */
  readonly maxEntries: number;
  readonly now: () => number;
}

/** Cache options from a directory's (partial) options, with the documented defaults. */
export function ttlCacheOptions(options: { ttlMs?: number; negativeTtlMs?: number; staleTtlMs?: number; maxEntries?: number; now?: () => number }): TtlCacheOptions {
  const ttlMs = options.ttlMs ?? 5_000;
  return {
    ttlMs,
    negativeTtlMs: options.negativeTtlMs ?? Math.min(ttlMs, 2_000),
    staleTtlMs: options.staleTtlMs ?? 600_000,
    maxEntries: options.maxEntries ?? 100_000,
    now: options.now ?? Date.now,
  };
}

interface Entry<V> {
  readonly value: V | null;
  readonly loadedAt: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, Promise<V | null>>();

  constructor(
    private readonly options: TtlCacheOptions,
    private readonly load: (key: string) => Promise<V | null>,
  ) {}

  async get(key: string): Promise<V | null> {
    const entry = this.entries.get(key);
    const age = entry ? this.options.now() - entry.loadedAt : Infinity;
    if (entry && age < (entry.value !== null ? this.options.ttlMs : this.options.negativeTtlMs)) return entry.value;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.refresh(key, entry, age).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async refresh(key: string, stale: Entry<V> | undefined, age: number): Promise<V | null> {
    try {
      const value = await this.load(key);
      this.set(key, value);
      return value;
    } catch (err) {
      if (stale && stale.value !== null && age < this.options.staleTtlMs && tenancyErrors.is(err, 'tenancy_unavailable')) return stale.value;
      throw err;
    }
  }

  private set(key: string, value: V | null): void {
    this.entries.delete(key);
    this.entries.set(key, { value, loadedAt: this.options.now() });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
