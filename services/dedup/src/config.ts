/**
 * Dedup's config: the stage process's variables, PostgreSQL (required: the claims and the tenancy
 * tables live there), its topics, the default window, the front cache and the maintenance pace.
 */
import { databaseFragment, defineConfig, durationMs, identifier, integer, secret, url, type ConfigOf } from '@stratum/config';
import { stageProcessFragment } from '@stratum/stream';

const DAY_MS = 86_400_000;

export const dedupConfig = defineConfig({
  ...stageProcessFragment,
  ...databaseFragment,
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })),
  // Each chunk waits on PostgreSQL: working on several partitions at once overlaps those waits (pnpm bench dedup).
  STAGE_CONCURRENT_PARTITIONS: integer({ min: 1, max: 64 }).default(4),
  DEDUP_INPUT_TOPIC: identifier('the topic of valid events').default('events.valid'),
  DEDUP_OUTPUT_TOPIC: identifier('the topic unique events go to').default('events.unique'),
  DEDUP_INVALID_TOPIC: identifier('the quarantine topic').default('events.invalid'),
  // Tenants and sources may set their own (1 min to 90 days); seconds are allowed here for tests.
  DEDUP_DEFAULT_WINDOW_MS: durationMs({ min: 1_000, max: 90 * DAY_MS }).default(7 * DAY_MS),
  // ~100 bytes each: the default holds a few minutes of traffic at 1k events/s, where most retries land.
  DEDUP_CACHE_ENTRIES: integer({ min: 0, max: 10_000_000 }).default(200_000),
  // Creates day partitions ahead, drops expired ones, refreshes the state-size metrics.
  DEDUP_MAINTENANCE_INTERVAL_MS: durationMs({ min: 1_000 }).default(60_000),
  TENANCY_CACHE_TTL_MS: durationMs({ min: 0 }).default(5_000),
});

export type DedupConfig = ConfigOf<typeof dedupConfig.shape>;
