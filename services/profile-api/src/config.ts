/**
 * The profile API's configuration: observability (without METRICS_PORT: /metrics is served on the
 * API's port), PostgreSQL (required: everything it serves lives there), the credential keys
 * (optional: without them destinations can be listed, renamed, disabled and enabled, but not given
 * credentials — and so not created, since every type needs some) and its own variables. Loaded
 * once in main.ts from processEnv(); tests pass their own env.
 */
import { credentialKeysFragment, databaseFragment, defineConfig, durationMs, identifier, observabilityFragment, port, secret, url, type ConfigOf } from '@stratum/config';

const { METRICS_PORT: _metricsPort, ...observability } = observabilityFragment;

export const profileApiConfig = defineConfig({
  ...observability,
  ...databaseFragment,
  // The keys destination credentials are sealed with, shared with the delivery services (which open them).
  ...credentialKeysFragment,
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })),
  PROFILE_API_PORT: port().default(8090),
  // An admin API with personal data: local only unless the operator puts it behind an ingress on purpose.
  PROFILE_API_HOST: identifier('an interface to listen on, e.g. 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  // How long a SIGTERM waits for requests in flight before their connections are cut.
  PROFILE_API_SHUTDOWN_TIMEOUT_MS: durationMs({ min: 0 }).default(10_000),
  // How long an admin-key look-up is cached: a revoked key keeps working for at most this long.
  TENANCY_CACHE_TTL_MS: durationMs({ min: 0, max: 3_600_000 }).default(5_000),
});

export type ProfileApiConfig = ConfigOf<typeof profileApiConfig.shape>;
