/**
 * What dedup reports beyond the runtime's stage metrics. Duplicates dropped, by reason, are the
 * runtime's `stratum_stage_records_out_total{stage="dedup",outcome="drop",reason}` (reasons in
 * docs/dedup.md); these add the state behind the decisions. Labels are closed sets.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ClaimStateSize } from './claims/day-partitions';

export interface DedupMetrics {
  /** One claim look-up of a chunk against PostgreSQL: how long it took. */
  observeClaimLookup(seconds: number): void;
  countCacheLookups(hits: number, misses: number): void;
  setCacheEntries(entries: number): void;
  /** First copies passed again because their own claim was found: chunks replayed after a crash or an aborted transaction. */
  countReplayedFirstCopies(n: number): void;
  setWindows(defaultSeconds: number, longestSeconds: number): void;
  setState(size: ClaimStateSize): void;
}

export const DEDUP_METRICS = {
  claimLookup: { name: 'stratum_dedup_claim_lookup_duration_seconds', type: 'histogram', labels: [] as string[], help: "One chunk's claim look-up (find or insert) in PostgreSQL." },
  cacheLookups: { name: 'stratum_dedup_cache_lookups_total', type: 'counter', labels: ['result'], help: 'Front-cache look-ups, by result (hit, miss).' },
  cacheEntries: { name: 'stratum_dedup_cache_entries', type: 'gauge', labels: [] as string[], help: 'Claims held in the in-memory front cache.' },
  replayedFirstCopies: { name: 'stratum_dedup_replayed_first_copies_total', type: 'counter', labels: [] as string[], help: 'First copies passed again because their claim names their own position (a chunk replayed after a crash).' },
  defaultWindow: { name: 'stratum_dedup_default_window_seconds', type: 'gauge', labels: [] as string[], help: 'The window for sources and tenants that set none.' },
  longestWindow: { name: 'stratum_dedup_longest_window_seconds', type: 'gauge', labels: [] as string[], help: 'The longest window in force (any tenant or source); claims are kept this long.' },
  statePartitions: { name: 'stratum_dedup_state_partitions', type: 'gauge', labels: [] as string[], help: 'Day partitions of dedup_claims.' },
  stateRows: { name: 'stratum_dedup_state_rows', type: 'gauge', labels: [] as string[], help: "Claims stored (PostgreSQL's estimate)." },
  stateBytes: { name: 'stratum_dedup_state_bytes', type: 'gauge', labels: [] as string[], help: 'Size of dedup_claims with its indexes.' },
} as const;

export function promDedupMetrics(registry: Registry): DedupMetrics {
  const m = DEDUP_METRICS;
  const registers = [registry];
  const lookup = new Histogram({ name: m.claimLookup.name, help: m.claimLookup.help, buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers });
  const cache = new Counter({ name: m.cacheLookups.name, help: m.cacheLookups.help, labelNames: m.cacheLookups.labels, registers });
  const entries = new Gauge({ name: m.cacheEntries.name, help: m.cacheEntries.help, registers });
  const replayed = new Counter({ name: m.replayedFirstCopies.name, help: m.replayedFirstCopies.help, registers });
  const defaultWindow = new Gauge({ name: m.defaultWindow.name, help: m.defaultWindow.help, registers });
  const longestWindow = new Gauge({ name: m.longestWindow.name, help: m.longestWindow.help, registers });
  const partitions = new Gauge({ name: m.statePartitions.name, help: m.statePartitions.help, registers });
  const rows = new Gauge({ name: m.stateRows.name, help: m.stateRows.help, registers });
  const bytes = new Gauge({ name: m.stateBytes.name, help: m.stateBytes.help, registers });
  // Present from the first scrape, so dashboards and alerts see 0 rather than no series.
  cache.inc({ result: 'hit' }, 0);
  cache.inc({ result: 'miss' }, 0);
  return {
    observeClaimLookup: (seconds) => lookup.observe(seconds),
    countCacheLookups(hits, misses) {
      if (hits > 0) cache.inc({ result: 'hit' }, hits);
      if (misses > 0) cache.inc({ result: 'miss' }, misses);
    },
    setCacheEntries: (n) => entries.set(n),
    countReplayedFirstCopies: (n) => replayed.inc(n),
    setWindows(d, l) {
      defaultWindow.set(d);
      longestWindow.set(l);
    },
    setState(size) {
      partitions.set(size.partitions);
      rows.set(size.rows);
      bytes.set(size.bytes);
    },
  };
}

export const NO_DEDUP_METRICS: DedupMetrics = {
  observeClaimLookup: () => undefined,
  countCacheLookups: () => undefined,
  setCacheEntries: () => undefined,
  countReplayedFirstCopies: () => undefined,
  setWindows: () => undefined,
  setState: () => undefined,
};
