/**
 * The ingest process: config → PostgreSQL and the tenancy directory → the stage on the runtime
 * (logs, /metrics, /healthz, /readyz with a postgres check, SIGTERM drains, the pool closes last).
 */
import { ConfigError, loadConfig, processEnv } from '@stratum/config';
import { createDb, migrationStatus } from '@stratum/db';
import { createMetricsRegistry } from '@stratum/observability';
import { runStageProcess } from '@stratum/stream';
import { createTenancyDirectory } from '@stratum/tenancy';
import { ingestConfig } from './config';
import { promIngestMetrics } from './metrics';
import { ingestStage } from './pipeline';

let config;
try {
  config = loadConfig(ingestConfig, processEnv());
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(78); // EX_CONFIG
}

const db = createDb(config.DATABASE_URL, { applicationName: config.SERVICE_NAME });
// The directory reads tables a migration creates: refuse to start on a database not migrated yet.
const { pending } = await migrationStatus(db);
if (pending.length > 0) {
  process.stderr.write(`the database has ${pending.length} pending migration(s) (${pending.join(', ')}); run \`pnpm stratum db migrate\` first\n`);
  await db.destroy();
  process.exit(78);
}
const directory = createTenancyDirectory(db, { ttlMs: config.TENANCY_CACHE_TTL_MS });

const registry = createMetricsRegistry({ service: config.SERVICE_NAME, version: '0.1.0' });

await runStageProcess(ingestStage({ directory, metrics: promIngestMetrics(registry) }), config, {
  registry,
  topics: { input: config.INGEST_INPUT_TOPIC, outputs: { valid: config.INGEST_VALID_TOPIC, invalid: config.INGEST_INVALID_TOPIC } },
  readiness: { postgres: async () => void (await db.raw('select 1')) },
  onStop: () => db.destroy(),
});
