/**
 * The retry process: config → PostgreSQL → three stages behind one /metrics /healthz /readyz
 * (with a postgres check): retry (the tiers → attempts, outcomes, dlq; exactly-once), dlq-index
 * (delivery.dlq → the dead-letter index) and consent-purge (consents.changes → order queues).
 * A background count of the dead-letter index feeds the DLQ size gauge. SIGTERM drains all three;
 * the pool closes last.
 */
import { loadConfigOrExit } from '@stratum/config';
import { openMigratedDbOrExit } from '@stratum/db';
import { DEFAULT_DELIVERY_POLICY, indexDeadLetters } from '@stratum/delivery';
import { createLogger, createMetricsRegistry } from '@stratum/observability';
import { runStagesProcess } from '@stratum/stream';
import { retryConfig, retryTiers, stageGroups } from './config';
import { startDeadLetterCounter } from './dead-letter-count';
import { createDestinationCache, listFromDb } from './destination-cache';
import { promRetryMetrics } from './metrics';
import { consentPurgeStage, dlqIndexStage, retryStage } from './pipeline';
import { profilesFromDb } from './steps/look-up-state';

const config = loadConfigOrExit(retryConfig);

// Refuses to start (exit 78) on a database the migrations have not reached.
const db = await openMigratedDbOrExit(config.DATABASE_URL, { applicationName: config.SERVICE_NAME });

const tiers = retryTiers(config);
const labels = new Map(tiers.map((t) => [t.topic, t.label]));
const registry = createMetricsRegistry({ service: config.SERVICE_NAME, version: '0.1.0' });
const metrics = promRetryMetrics(registry, tiers.map((t) => t.label));
const destinations = createDestinationCache(listFromDb(db), { ttlMs: config.RETRY_DESTINATION_CACHE_TTL_MS });
const groups = stageGroups(config);
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
// The DLQ size gauge; its first count runs in the background (a slow index must not delay the stages).
const deadLetterCounter = startDeadLetterCounter(db, { metrics, logger });
void deadLetterCounter.countOnce().catch((err: unknown) => logger.warn({ err }, 'counting dead letters failed; trying again next interval'));

await runStagesProcess(
  [
    {
      stage: retryStage({
        destinations,
        readProfiles: profilesFromDb(db),
        // Only the age is checked here; maxAttempts is the adapter's to apply (it dead-letters exhausted attempts).
        defaults: { ...DEFAULT_DELIVERY_POLICY, maxAgeSeconds: config.RETRY_DEFAULT_MAX_AGE_MS / 1000 },
        tierOf: (topic) => labels.get(topic) ?? 'unknown',
        metrics,
      }),
      topics: {
        input: tiers.map((t) => t.topic),
        outputs: { attempts: config.RETRY_ATTEMPTS_TOPIC, outcomes: config.RETRY_OUTCOMES_TOPIC, dlq: config.RETRY_DLQ_TOPIC },
      },
      groupId: groups.retry,
    },
    { stage: dlqIndexStage({ db, indexDeadLetters, metrics }), topics: { input: config.RETRY_DLQ_TOPIC, outputs: {} }, groupId: groups.dlqIndex },
    { stage: consentPurgeStage({ db, destinations, metrics }), topics: { input: config.RETRY_CONSENTS_TOPIC, outputs: {} }, groupId: groups.consentPurge },
  ],
  config,
  {
    registry,
    readiness: { postgres: async () => void (await db.raw('select 1')) },
    onStop: async () => {
      deadLetterCounter.stop();
      await db.destroy();
    },
  },
);
