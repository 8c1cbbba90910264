/**
 * The retry service's config: the stage process's variables, PostgreSQL (required: destinations,
 * consents, the dead-letter index and the order queues live there), its topics (the catalogue's
 * by default, the retry tiers included), how long a tenant's destinations are cached, and the
 * default max age.
 * STAGE_GROUP_ID names the retry stage's consumer group; the other two stages use it with
 * `.dlq-index` and `.consent-purge` appended (each stage of a process needs its own group).
 */
import { databaseFragment, defineConfig, durationMs, identifier, listOf, secret, url, type ConfigOf } from '@stratum/config';
import { DEFAULT_DELIVERY_POLICY } from '@stratum/delivery';
import { stageProcessFragment } from '@stratum/stream';
import { formatDuration, topicNamed } from '@stratum/topics';

// The adapter writes to the catalogue's tiers: reading the same list means a tier added there is read here too.
const CATALOGUE_TIERS = topicNamed('delivery.attempts').retryTiers;

export const retryConfig = defineConfig({
  ...stageProcessFragment,
  ...databaseFragment,
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })),
  STAGE_GROUP_ID: identifier('the consumer group of the retry stage (the others append .dlq-index and .consent-purge)').default('retry'),
  RETRY_TIER_TOPICS: listOf('topic names, shortest delay first', /^[A-Za-z0-9._-]{1,249}$/)
    .refine((topics) => topics.length > 0, 'is an empty list')
    .default(CATALOGUE_TIERS.map((t) => t.topic)),
  RETRY_ATTEMPTS_TOPIC: identifier('the topic due retries go back to').default('delivery.attempts'),
  RETRY_OUTCOMES_TOPIC: identifier('the topic of delivery outcomes').default('delivery.outcomes'),
  RETRY_DLQ_TOPIC: identifier('the dead-letter topic (written, and read into the index)').default('delivery.dlq'),
  RETRY_CONSENTS_TOPIC: identifier('the topic of consent changes').default('consents.changes'),
  // A destination disabled or a policy changed is seen within this; a drop is always re-checked fresh.
  RETRY_DESTINATION_CACHE_TTL_MS: durationMs({ min: 0 }).default(5_000),
  // For destinations whose deliveryPolicy sets no maxAgeSeconds; keep it equal to DELIVERY_DEFAULT_MAX_AGE_MS (delivery-adapter).
  RETRY_DEFAULT_MAX_AGE_MS: durationMs({ min: 60_000, max: 7 * 86_400_000 }).default(DEFAULT_DELIVERY_POLICY.maxAgeSeconds * 1000),
});

export type RetryConfig = ConfigOf<typeof retryConfig.shape>;

/**
 * The tiers in order, each with its metrics label: the catalogue tier's delay at that position
 * (`30s`, `5min`, `1h`), so test copies of the topics get the same labels; `tier4`… beyond them.
 */
export function retryTiers(config: Pick<RetryConfig, 'RETRY_TIER_TOPICS'>): Array<{ topic: string; label: string }> {
  return config.RETRY_TIER_TOPICS.map((topic, i) => {
    const tier = CATALOGUE_TIERS[i];
    return { topic, label: tier === undefined ? `tier${i + 1}` : formatDuration(tier.delayMs).replace(' ', '') };
  });
}

/** The consumer groups of the three stages. */
export function stageGroups(config: Pick<RetryConfig, 'STAGE_GROUP_ID'>) {
  return { retry: config.STAGE_GROUP_ID, dlqIndex: `${config.STAGE_GROUP_ID}.dlq-index`, consentPurge: `${config.STAGE_GROUP_ID}.consent-purge` };
}
