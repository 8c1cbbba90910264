/**
 * The gateway's configuration: the shared Kafka, registry, observability, database and
 * credential-key variables, and its own. Loaded once in main.ts from processEnv(); tests pass
 * their own env.
 */
import { credentialKeysFragment, databaseFragment, defineConfig, durationMs, identifier, integer, kafkaFragment, observabilityFragment, port, schemaRegistryFragment, secret, url, type ConfigOf } from '@stratum/config';

// /metrics is served on GATEWAY_PORT with the API, so the observability fragment's METRICS_PORT
// would be a variable that does nothing: leave it out.
const { METRICS_PORT: _metricsPort, ...observability } = observabilityFragment;

export const gatewayConfig = defineConfig({
  ...kafkaFragment,
  ...schemaRegistryFragment,
  ...observability,
  ...databaseFragment,
  // Optional: only Twilio webhooks need them (to read the tenant's auth token); without them that route answers 503.
  ...credentialKeysFragment,
  // The directory of write keys lives in PostgreSQL: the gateway cannot start without it.
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })),
  GATEWAY_PORT: port().default(8080),
  // The origin Twilio calls (https://events.example.com): Twilio signs the URL it requested, which a
  // proxy in front of the gateway changes. Unset: the URL as received (Host, X-Forwarded-Proto).
  GATEWAY_PUBLIC_URL: url({ protocols: ['https', 'http'] }).optional(),
  GATEWAY_HOST: identifier('an interface to listen on, e.g. 0.0.0.0 or 127.0.0.1').default('0.0.0.0'),
  // Segment's batch limit is 500 KB; 512000 leaves room for the envelope. Sources can only lower it.
  GATEWAY_MAX_BODY_BYTES: integer({ min: 1024, max: 64 * 1024 * 1024 }).default(512_000),
  GATEWAY_RAW_TOPIC: identifier('the Kafka topic raw events are written to').default('events.raw'),
  // How long in-flight requests may take to finish after SIGTERM before connections are cut.
  GATEWAY_SHUTDOWN_TIMEOUT_MS: durationMs({ min: 0 }).default(30_000),
  // Unset: one in-process token bucket per replica. Set: buckets shared by every replica through Redis.
  REDIS_URL: secret(url({ protocols: ['redis', 'rediss'] }).optional()),
  // How long a write key look-up is cached: a revoked key keeps working for at most this long.
  TENANCY_CACHE_TTL_MS: durationMs({ min: 0, max: 3_600_000 }).default(5_000),
});

export type GatewayConfig = ConfigOf<typeof gatewayConfig.shape>;
