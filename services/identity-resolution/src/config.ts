/**
 * Identity resolution's config: the stage process's variables, PostgreSQL (required: the identity
 * graph lives there), its topics, and how long tenants' identity settings are cached.
 */
import { databaseFragment, defineConfig, durationMs, identifier, integer, secret, url, type ConfigOf } from '@stratum/config';
import { stageProcessFragment } from '@stratum/stream';

export const identityConfig = defineConfig({
  ...stageProcessFragment,
  ...databaseFragment,
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })),
  // Chunks of several partitions at once: they wait on PostgreSQL, not on the CPU. Order per profile
  // on profiles.changes does not depend on it (the outbox relay publishes in commit order).
  STAGE_CONCURRENT_PARTITIONS: integer({ min: 1, max: 64 }).default(2),
  IDENTITY_INPUT_TOPIC: identifier('the topic of unique events').default('events.unique'),
  IDENTITY_RESOLVED_TOPIC: identifier('the topic resolved events go to').default('events.resolved'),
  IDENTITY_CHANGES_TOPIC: identifier('the compacted topic of golden-record snapshots').default('profiles.changes'),
  IDENTITY_AUDIT_TOPIC: identifier('the topic of identity decisions').default('identity.audit'),
  IDENTITY_CONSENTS_TOPIC: identifier('the topic of consent changes (from the profile API, through the outbox)').default('consents.changes'),
  IDENTITY_INVALID_TOPIC: identifier('the quarantine topic').default('events.invalid'),
  IDENTITY_SETTINGS_TTL_MS: durationMs({ min: 0 }).default(5_000),
  // The person-import stage (same process, its own consumer group): imported person rows, fuzzy-matched into the graph.
  IDENTITY_IMPORT_TOPIC: identifier('the topic of imported person rows').default('persons.import'),
  IDENTITY_IMPORT_GROUP_ID: identifier("the person-import stage's consumer group").default('identity-resolution.import'),
  IDENTITY_IMPORT_MAX_BLOCK_SIZE: integer({ min: 2, max: 100_000 }).default(1000),
  IDENTITY_IMPORT_INDEX_MAX_RECORDS: integer({ min: 1, max: 1_000_000_000 }).default(1_000_000),
  IDENTITY_IMPORT_BATCH_SIZE: integer({ min: 1, max: 20_000 }).default(4000),
  IDENTITY_IMPORT_TRANSACTION_ROWS: integer({ min: 1, max: 20_000 }).default(1000),
});

export type IdentityConfig = ConfigOf<typeof identityConfig.shape>;
