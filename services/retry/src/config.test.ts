import { loadConfig } from '@stratum/config';
import { topicNamed } from '@stratum/topics';
import { retryConfig, retryTiers, stageGroups } from './config';

const required = {
  KAFKA_BROKERS: 'localhost:9092',
  KAFKA_CLIENT_ID: 'retry',
  SCHEMA_REGISTRY_URL: 'http://localhost:8081',
  SERVICE_NAME: 'retry',
  DATABASE_URL: 'postgres://localhost/stratum',
};

it("defaults to the catalogue's topics: the tiers of delivery.attempts, shortest first, and its dead letter", () => {
  const c = loadConfig(retryConfig, required);
  const attempts = topicNamed('delivery.attempts');
  expect(retryTiers(c)).toEqual([
    { topic: 'delivery.retry.30s', label: '30s' },
    { topic: 'delivery.retry.5m', label: '5min' },
    { topic: 'delivery.retry.1h', label: '1h' },
  ]);
  expect(retryTiers(c).map((t) => t.topic)).toEqual(attempts.retryTiers.map((t) => t.topic));
  expect([c.RETRY_ATTEMPTS_TOPIC, c.RETRY_OUTCOMES_TOPIC, c.RETRY_DLQ_TOPIC, c.RETRY_CONSENTS_TOPIC]).toEqual([attempts.name, 'delivery.outcomes', attempts.deadLetter, 'consents.changes']);
  for (const name of [c.RETRY_OUTCOMES_TOPIC, c.RETRY_CONSENTS_TOPIC]) expect(topicNamed(name).name).toBe(name);
});

it('gives each stage its own consumer group, from STAGE_GROUP_ID (default retry)', () => {
  expect(stageGroups(loadConfig(retryConfig, required))).toEqual({ retry: 'retry', dlqIndex: 'retry.dlq-index', consentPurge: 'retry.consent-purge' });
  expect(stageGroups(loadConfig(retryConfig, { ...required, STAGE_GROUP_ID: 'stratum-retry' })).dlqIndex).toBe('stratum-retry.dlq-index');
});

it('labels other tier topics by position, and refuses an empty list', () => {
  expect(retryTiers(loadConfig(retryConfig, { ...required, RETRY_TIER_TOPICS: 't.a, t.b,t.c,t.d' })).map((t) => t.label)).toEqual(['30s', '5min', '1h', 'tier4']);
  expect(() => loadConfig(retryConfig, { ...required, RETRY_TIER_TOPICS: ',' })).toThrow(/RETRY_TIER_TOPICS/);
});

it('requires a database and reads the cache TTL and default max age as durations', () => {
  const { DATABASE_URL: _, ...noDatabase } = required;
  expect(() => loadConfig(retryConfig, noDatabase)).toThrow(/DATABASE_URL/);
  const c = loadConfig(retryConfig, { ...required, RETRY_DESTINATION_CACHE_TTL_MS: '2s', RETRY_DEFAULT_MAX_AGE_MS: '8h' });
  expect([c.RETRY_DESTINATION_CACHE_TTL_MS, c.RETRY_DEFAULT_MAX_AGE_MS]).toEqual([2_000, 8 * 3_600_000]);
  expect(loadConfig(retryConfig, required).RETRY_DEFAULT_MAX_AGE_MS).toBe(4 * 3_600_000);
});
