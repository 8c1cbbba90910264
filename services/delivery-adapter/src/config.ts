/**
 * The delivery-adapter's config: the stage process's variables, PostgreSQL (destinations, the
 * ledger, order queues), the credential keys (required: without them no credentials decrypt), its
 * topics, and each destination lane's limits. Retry tier topics and delays come from the topic
 * catalogue; DELIVERY_RETRY_DELAYS_MS overrides the delays (tests, and operators who want shorter
 * first retries) without renaming topics.
 */
import { booleanFlag, credentialKeysFragment, databaseFragment, defineConfig, durationMs, identifier, integer, listOf, secret, url, type ConfigOf } from '@stratum/config';
import { stageProcessFragment } from '@stratum/stream';

export const deliveryConfig = defineConfig({
  ...stageProcessFragment,
  ...databaseFragment,
  ...credentialKeysFragment,
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })),
  STAGE_GROUP_ID: identifier('the consumer group reading events.resolved').default('delivery-adapter'),
  DELIVERY_ATTEMPTS_GROUP_ID: identifier('the consumer group reading delivery.attempts').default('delivery-adapter.attempts'),
  // Each chunk waits on the platforms, not on the CPU: several partitions at once overlap the waits.
  STAGE_CONCURRENT_PARTITIONS: integer({ min: 1, max: 64 }).default(4),
  DELIVERY_RESOLVED_TOPIC: identifier('the topic of resolved events').default('events.resolved'),
  DELIVERY_ATTEMPTS_TOPIC: identifier('the topic of released retries and replays').default('delivery.attempts'),
  DELIVERY_OUTCOMES_TOPIC: identifier('the topic of delivery outcomes').default('delivery.outcomes'),
  DELIVERY_DLQ_TOPIC: identifier('the dead-letter topic').default('delivery.dlq'),
  DELIVERY_INVALID_TOPIC: identifier('the quarantine topic').default('events.invalid'),
  // Comma-separated, one per catalogue tier in order (e.g. "30000,300000,3600000"); empty: the catalogue's.
  DELIVERY_RETRY_DELAYS_MS: listOf('delays in ms', /^\d{1,10}$/).optional(),
  DELIVERY_REQUEST_TIMEOUT_MS: durationMs({ min: 100, max: 120_000 }).default(10_000),
  // A lane stops starting requests for a chunk after this long; the rest wait in a retry tier.
  DELIVERY_LANE_BUDGET_MS: durationMs({ min: 100, max: 600_000 }).default(15_000),
  DELIVERY_LANE_CONCURRENCY: integer({ min: 1, max: 256 }).default(8),
  DELIVERY_RATE_PER_SECOND: integer({ min: 1, max: 100_000 }).default(200),
  DELIVERY_RATE_BURST: integer({ min: 1, max: 100_000 }).default(100),
  DELIVERY_BREAKER_ERROR_PERCENT: integer({ min: 1, max: 100 }).default(50),
  DELIVERY_BREAKER_VOLUME: integer({ min: 1, max: 10_000 }).default(10),
  DELIVERY_BREAKER_WINDOW_MS: durationMs({ min: 1_000 }).default(30_000),
  DELIVERY_BREAKER_RESET_MS: durationMs({ min: 100 }).default(30_000),
  DELIVERY_DEFAULT_MAX_ATTEMPTS: integer({ min: 1, max: 100 }).default(8),
  DELIVERY_DEFAULT_MAX_AGE_MS: durationMs({ min: 60_000, max: 7 * 86_400_000 }).default(4 * 3_600_000),
  DELIVERY_DESTINATIONS_TTL_MS: durationMs({ min: 0 }).default(5_000),
  // Webhook targets on these hosts (host:port, host, or CIDR; comma-separated) pass the SSRF guard.
  DELIVERY_WEBHOOK_ALLOW_HOSTS: listOf('hosts, host:port pairs or CIDRs', /^[\w.:[\]/-]+$/).default([]),
  // Local development only: any webhook address, private ones included.
  DELIVERY_WEBHOOK_ALLOW_PRIVATE: booleanFlag().default(false),
});

export type DeliveryConfig = ConfigOf<typeof deliveryConfig.shape>;
