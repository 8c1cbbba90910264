/**
 * The variables every service shares, one fragment per concern. A service spreads the ones it
 * needs into its own shape, so the same variable means the same thing everywhere:
 *
 *   const definition = defineConfig({ ...kafkaFragment, ...observabilityFragment, ...stageFragment, MY_VAR: ... });
 */
import { z } from 'zod';
import type { ConfigShape } from './define';
import { secret } from './schema-info';
import { brokerList, durationMs, identifier, integer, namedKeys, oneOf, port, url } from './values';

/** pino's levels, most severe first. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where Kafka is and who we are to it. */
export const kafkaFragment = {
  KAFKA_BROKERS: brokerList(),
  KAFKA_CLIENT_ID: identifier('a Kafka client id, usually the service name'),
} satisfies ConfigShape;

/** The Confluent-compatible schema registry. */
export const schemaRegistryFragment = {
  SCHEMA_REGISTRY_URL: url({ protocols: ['http', 'https'] }),
} satisfies ConfigShape;

/** Logs, the /metrics /healthz /readyz server, and the name both report. */
export const observabilityFragment = {
  LOG_LEVEL: oneOf(LOG_LEVELS, { ignoreCase: true }).default('info'),
  // 9464 is the port OpenTelemetry's Prometheus exporter made customary; 0 lets the OS pick.
  METRICS_PORT: port().default(9464),
  SERVICE_NAME: identifier('the service name, as logs and stratum_build_info report it'),
} satisfies ConfigShape;

/** The stage runtime: consumer group, batch size, how long shutdown may drain, session timeout. */
export const stageFragment = {
  STAGE_GROUP_ID: identifier('the Kafka consumer group id of this stage'),
  STAGE_BATCH_SIZE: integer({ min: 1, max: 100_000 }).default(500),
  STAGE_SHUTDOWN_TIMEOUT_MS: durationMs({ min: 0 }).default(30_000),
  // How soon the group notices a dead instance and hands its partitions to the others.
  STAGE_SESSION_TIMEOUT_MS: durationMs({ min: 1 }).default(30_000),
  // Partitions one instance works on at once: stages that wait on a database overlap those waits.
  STAGE_CONCURRENT_PARTITIONS: integer({ min: 1, max: 64 }).default(1),
  // Tests only: crash points such as `stage.after-produce=3` (packages/stream/src/failpoints.ts). Empty in production.
  STAGE_FAILPOINTS: z.string().trim().default('').describe('failpoints to arm, name=pass[,…] (tests only)'),
} satisfies ConfigShape;

/** PostgreSQL, for the services that have one. Secret because the URL usually holds the password. */
export const databaseFragment = {
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] }).optional()),
} satisfies ConfigShape;

/**
 * The keys that encrypt destination credentials at rest (AES-256-GCM, @stratum/destinations).
 * Optional here: what their absence means is the reader's call (the CLI explains how to set them,
 * the delivery service refuses to start). The active key defaults to the last one listed, so
 * rotating is "append a key, run `stratum destination rotate-keys`, then drop the old one".
 */
export const credentialKeysFragment = {
  STRATUM_CREDENTIALS_KEYS: namedKeys({ bytes: 32 }).optional(),
  STRATUM_CREDENTIALS_ACTIVE_KEY: identifier('the id of the STRATUM_CREDENTIALS_KEYS key that encrypts new credentials').optional(),
} satisfies ConfigShape;
