/**
 * The identity-resolution process: config → PostgreSQL (the identity graph, under row-level
 * security) → the stage on the runtime with exactly-once delivery (logs, /metrics, /healthz,
 * /readyz with a postgres check; SIGTERM drains; the pool closes last), and the identity outbox
 * relay next to it (profiles.changes, operator audits, consent changes); the person-import stage
 * (persons.import, its own consumer group) fuzzy-matches imported rows into the same graph.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '@stratum/config';
import { openMigratedDbOrExit } from '@stratum/db';
import { createLogger, createMetricsRegistry } from '@stratum/observability';
import { runStagesProcess } from '@stratum/stream';
import { identityConfig } from './config';
import { identitySettingsCache } from './identity-settings-cache';
import { createPersonImportResolver } from './import/import-resolver';
import { statisticsRefresher } from './import/planner-statistics';
import { createMatchWorker } from './import/match-worker-client';
import { createRecordIndex } from './import/record-index';
import { personImportStage } from './import/stage';
import { promIdentityMetrics, promImportMetrics, promOutboxMetrics } from './metrics';
import { identityResolutionStage } from './pipeline';
import { newProfileId } from '@stratum/identity';
import { kafkaOutboxSender } from './outbox/kafka-sender';
import { startOutboxRelay } from './outbox/relay';
import { archivePartitions } from './resolve/archive-partitions';
import { createResolver } from './resolve/resolver';

const config = loadConfigOrExit(identityConfig);

// Refuses to start (exit 78) on a database the migrations have not reached.
const db = await openMigratedDbOrExit(config.DATABASE_URL, { applicationName: config.SERVICE_NAME });

const registry = createMetricsRegistry({ service: config.SERVICE_NAME, version: '0.1.0' });
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL }).child({ component: 'outbox-relay' });
const settingsFor = identitySettingsCache(db, config.IDENTITY_SETTINGS_TTL_MS);
const partitions = archivePartitions(db);
const resolver = createResolver({ db, settingsFor, partitions, newProfileId });
// The person import's matching runs on a thread of its own, which holds the tenants' records.
const matcher = createMatchWorker({ directory: join(dirname(fileURLToPath(import.meta.url)), 'import') });
const importResolver = createPersonImportResolver({
  db,
  settingsFor,
  partitions,
  newProfileId,
  maxBlockSize: config.IDENTITY_IMPORT_MAX_BLOCK_SIZE,
  index: createRecordIndex({ matcher, maxRecords: config.IDENTITY_IMPORT_INDEX_MAX_RECORDS }),
  subChunkRows: config.IDENTITY_IMPORT_TRANSACTION_ROWS,
  statistics: statisticsRefresher(db, { onError: (err) => logger.child({ component: 'person-import' }).warn({ err }, 'ANALYZE of the identity tables failed; the import goes on with the statistics it has') }),
});

const sender = await kafkaOutboxSender(
  { brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-outbox` },
  config.SCHEMA_REGISTRY_URL,
  { 'profiles.changes': config.IDENTITY_CHANGES_TOPIC, 'identity.audit': config.IDENTITY_AUDIT_TOPIC, 'consents.changes': config.IDENTITY_CONSENTS_TOPIC },
  logger,
);
const outboxMetrics = promOutboxMetrics(registry);
const relay = startOutboxRelay({
  db,
  send: (records) => sender.send(records),
  onPublished: (records) => records.forEach((r) => outboxMetrics.published(r.topic, 1)),
  onError: (err) => {
    outboxMetrics.failed();
    logger.warn({ err }, 'outbox relay pass failed; retrying');
  },
});

// Two stages, one process: live events (STAGE_GROUP_ID) and imported person rows (their own group).
await runStagesProcess(
  [
    {
      stage: identityResolutionStage({ resolver, metrics: promIdentityMetrics(registry) }),
      topics: {
        input: config.IDENTITY_INPUT_TOPIC,
        outputs: { resolved: config.IDENTITY_RESOLVED_TOPIC, audit: config.IDENTITY_AUDIT_TOPIC, invalid: config.IDENTITY_INVALID_TOPIC },
      },
    },
    {
      stage: personImportStage({ resolver: importResolver, metrics: promImportMetrics(registry) }),
      topics: { input: config.IDENTITY_IMPORT_TOPIC, outputs: { invalid: config.IDENTITY_INVALID_TOPIC } },
      groupId: config.IDENTITY_IMPORT_GROUP_ID,
      // Bigger chunks than live events: fewer statements per row, and no latency target.
      batchSize: config.IDENTITY_IMPORT_BATCH_SIZE,
    },
  ],
  config,
  {
  registry,
  readiness: { postgres: async () => void (await db.raw('select 1')) },
  onStop: async () => {
    await relay.stop();
    await sender.close().catch(() => undefined);
    await matcher.close();
    await db.destroy();
  },
  },
);
