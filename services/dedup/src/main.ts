/**
 * The dedup process: config → PostgreSQL (claims, tenancy) → day partitions ready → the stage on
 * the runtime with exactly-once delivery (logs, /metrics, /healthz, /readyz with a postgres check;
 * SIGTERM drains; the pool closes last).
 */
import { loadConfigOrExit } from '@stratum/config';
import { openMigratedDbOrExit } from '@stratum/db';
import { createLogger, createMetricsRegistry } from '@stratum/observability';
import { runStageProcess } from '@stratum/stream';
import { createTenancyDirectory } from '@stratum/tenancy';
import { createClaimStore } from './claims/claim-store';
import { FrontCache } from './claims/front-cache';
import { dedupConfig } from './config';
import { startMaintenance } from './maintenance';
import { promDedupMetrics } from './metrics';
import { dedupStage } from './pipeline';

const config = loadConfigOrExit(dedupConfig);

// Refuses to start (exit 78) on a database the migrations have not reached.
const db = await openMigratedDbOrExit(config.DATABASE_URL, { applicationName: config.SERVICE_NAME });

const registry = createMetricsRegistry({ service: config.SERVICE_NAME, version: '0.1.0' });
const metrics = promDedupMetrics(registry);
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
const defaultWindowSeconds = Math.round(config.DEDUP_DEFAULT_WINDOW_MS / 1000);
const maintenance = startMaintenance(db, { defaultWindowSeconds, intervalMs: config.DEDUP_MAINTENANCE_INTERVAL_MS, metrics, logger });
await maintenance.runOnce();

const stage = dedupStage({
  directory: createTenancyDirectory(db, { ttlMs: config.TENANCY_CACHE_TTL_MS }),
  store: createClaimStore(db),
  defaultWindowSeconds,
  cache: new FrontCache(config.DEDUP_CACHE_ENTRIES),
  metrics,
});

await runStageProcess(stage, config, {
  registry,
  topics: { input: config.DEDUP_INPUT_TOPIC, outputs: { unique: config.DEDUP_OUTPUT_TOPIC, invalid: config.DEDUP_INVALID_TOPIC } },
  readiness: { postgres: async () => void (await db.raw('select 1')) },
  onStop: async () => {
    maintenance.stop();
    await db.destroy();
  },
});
