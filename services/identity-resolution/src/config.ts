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
  // One partition at a time: chunks of one instance then reach Kafka in the order their database
  // transactions committed, which keeps profiles.changes' last record per profile the newest
  // (docs/identity.md, "Known limits": several instances, or more here, can reorder them).
  STAGE_CONCURRENT_PARTITIONS: integer({ min: 1, max: 64 }).default(1),
  IDENTITY_INPUT_TOPIC: identifier('the topic of unique events').default('events.unique'),
  IDENTITY_RESOLVED_TOPIC: identifier('the topic resolved events go to').default('events.resolved'),
  IDENTITY_CHANGES_TOPIC: identifier('the compacted topic of golden-record snapshots').default('profiles.changes'),
  IDENTITY_AUDIT_TOPIC: identifier('the topic of identity decisions').default('identity.audit'),
  IDENTITY_INVALID_TOPIC: identifier('the quarantine topic').default('events.invalid'),
  IDENTITY_SETTINGS_TTL_MS: durationMs({ min: 0 }).default(5_000),
});

export type IdentityConfig = ConfigOf<typeof identityConfig.shape>;
