/**
 * The ingest process: config → PostgreSQL and the tenancy directory → the stage on the runtime
 * (logs, /metrics, /healthz, /readyz with a postgres check, SIGTERM drains, the pool closes last).
 */
import { loadConfigOrExit } from '@stratum/config';
import { openMigratedDbOrExit } from '@stratum/db';
import { createMetricsRegistry } from '@stratum/observability';
import { runStageProcess } from '@stratum/stream';
import { createTenancyDirectory } from '@stratum/tenancy';
import { ingestConfig } from './config';
import { promIngestMetrics } from './metrics';
import { ingestStage } from './pipeline';

const config = loadConfigOrExit(ingestConfig);

// Refuses to start (exit 78) on a database the migrations have not reached.
const db = await openMigratedDbOrExit(config.DATABASE_URL, { applicationName: config.SERVICE_NAME });
const directory = createTenancyDirectory(db, { ttlMs: config.TENANCY_CACHE_TTL_MS });

const registry = createMetricsRegistry({ service: config.SERVICE_NAME, version: '0.1.0' });

await runStageProcess(ingestStage({ directory, metrics: promIngestMetrics(registry) }), config, {
  registry,
  topics: { input: config.INGEST_INPUT_TOPIC, outputs: { valid: config.INGEST_VALID_TOPIC, invalid: config.INGEST_INVALID_TOPIC } },
  readiness: { postgres: async () => void (await db.raw('select 1')) },
  onStop: () => db.destroy(),
});
