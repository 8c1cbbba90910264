/**
 * Ingest's config: the stage process's variables (Kafka, registry, logs and metrics, consumer
 * group), PostgreSQL (required here: source settings and tracking plans live there), the topics it
 * reads and writes, and how long source settings are cached.
 */
import { databaseFragment, defineConfig, durationMs, identifier, secret, url, type ConfigOf } from '@stratum/config';
import { stageProcessFragment } from '@stratum/stream';

export const ingestConfig = defineConfig({
  ...stageProcessFragment,
  ...databaseFragment,
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })),
  INGEST_INPUT_TOPIC: identifier('the topic of raw events').default('events.raw'),
  INGEST_VALID_TOPIC: identifier('the topic valid events go to').default('events.valid'),
  INGEST_INVALID_TOPIC: identifier('the quarantine topic').default('events.invalid'),
  // A disabled source or a changed tracking plan takes effect within this.
  TENANCY_CACHE_TTL_MS: durationMs({ min: 0 }).default(5_000),
});

export type IngestConfig = ConfigOf<typeof ingestConfig.shape>;
