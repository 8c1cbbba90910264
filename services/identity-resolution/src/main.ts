/**
 * The identity-resolution process: config → PostgreSQL (the identity graph, under row-level
 * security) → the stage on the runtime with exactly-once delivery (logs, /metrics, /healthz,
 * /readyz with a postgres check; SIGTERM drains; the pool closes last).
 */
import { loadConfigOrExit } from '@stratum/config';
import { openMigratedDbOrExit } from '@stratum/db';
import { createMetricsRegistry } from '@stratum/observability';
import { runStageProcess } from '@stratum/stream';
import { identityConfig } from './config';
import { identitySettingsCache } from './identity-settings-cache';
import { promIdentityMetrics } from './metrics';
import { identityResolutionStage } from './pipeline';
import { newProfileId } from '@stratum/identity';
import { archivePartitions } from './resolve/archive-partitions';
import { createResolver } from './resolve/resolver';

const config = loadConfigOrExit(identityConfig);

// Refuses to start (exit 78) on a database the migrations have not reached.
const db = await openMigratedDbOrExit(config.DATABASE_URL, { applicationName: config.SERVICE_NAME });

const registry = createMetricsRegistry({ service: config.SERVICE_NAME, version: '0.1.0' });
const resolver = createResolver({ db, settingsFor: identitySettingsCache(db, config.IDENTITY_SETTINGS_TTL_MS), partitions: archivePartitions(db), newProfileId });

await runStageProcess(identityResolutionStage({ resolver, metrics: promIdentityMetrics(registry) }), config, {
  registry,
  topics: {
    input: config.IDENTITY_INPUT_TOPIC,
    outputs: { resolved: config.IDENTITY_RESOLVED_TOPIC, changes: config.IDENTITY_CHANGES_TOPIC, audit: config.IDENTITY_AUDIT_TOPIC, invalid: config.IDENTITY_INVALID_TOPIC },
  },
  readiness: { postgres: async () => void (await db.raw('select 1')) },
  onStop: () => db.destroy(),
});
