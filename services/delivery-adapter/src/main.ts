/**
 * The delivery-adapter process: config → PostgreSQL (migrated) → credential keyring → live
 * destinations (lanes with breakers and rate limits) → the engine → two stages (events.resolved,
 * delivery.attempts) behind one /metrics, /healthz, /readyz. SIGTERM drains both; sockets and the
 * pool close last.
 */
import { loadConfigOrExit } from '@stratum/config';
import { openMigratedDbOrExit } from '@stratum/db';
import { credentialKeyringFromConfig, MISSING_KEYS_HELP } from '@stratum/destinations';
import { createLogger, createMetricsRegistry } from '@stratum/observability';
import { runStagesProcess } from '@stratum/stream';
import { deliveryConfig } from './config';
import { LiveDestinations } from './destinations/live-destinations';
import { createDeliveryEngine } from './deliver/engine';
import { promDeliveryMetrics } from './metrics';
import { attemptsStage, resolvedStage, tierOutput } from './pipeline';
import { retryTiers } from './retry-tiers';
import { createHttpSender } from './send/http-sender';

const config = loadConfigOrExit(deliveryConfig);
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
if (config.STRATUM_CREDENTIALS_KEYS === undefined) {
  logger.fatal(`STRATUM_CREDENTIALS_KEYS is not set: destination credentials cannot be decrypted. ${MISSING_KEYS_HELP}`);
  process.exit(78);
}
const keyring = credentialKeyringFromConfig(config);
const db = await openMigratedDbOrExit(config.DATABASE_URL, { applicationName: config.SERVICE_NAME });

const registry = createMetricsRegistry({ service: config.SERVICE_NAME, version: '0.1.0' });
const metrics = promDeliveryMetrics(registry);
const tiers = retryTiers(config.DELIVERY_RETRY_DELAYS_MS);
const sender = createHttpSender(config.DELIVERY_LANE_CONCURRENCY);
const destinations = new LiveDestinations({
  db,
  keyring,
  sender,
  lane: {
    timeoutMs: config.DELIVERY_REQUEST_TIMEOUT_MS,
    ratePerSecond: config.DELIVERY_RATE_PER_SECOND,
    burst: config.DELIVERY_RATE_BURST,
    errorThresholdPercentage: config.DELIVERY_BREAKER_ERROR_PERCENT,
    volumeThreshold: config.DELIVERY_BREAKER_VOLUME,
    rollingWindowMs: config.DELIVERY_BREAKER_WINDOW_MS,
    resetTimeoutMs: config.DELIVERY_BREAKER_RESET_MS,
  },
  defaults: { maxAttempts: config.DELIVERY_DEFAULT_MAX_ATTEMPTS, maxAgeSeconds: Math.round(config.DELIVERY_DEFAULT_MAX_AGE_MS / 1000) },
  guard: { allowHosts: config.DELIVERY_WEBHOOK_ALLOW_HOSTS, allowPrivate: config.DELIVERY_WEBHOOK_ALLOW_PRIVATE },
  ttlMs: config.DELIVERY_DESTINATIONS_TTL_MS,
  logger,
  onBreaker: (d, state) => {
    metrics.breakerChanged(d, state);
    logger.warn({ tenantId: d.tenantId, destinationId: d.destinationId, type: d.type, state }, `circuit breaker ${state}`);
  },
});
const engine = createDeliveryEngine({ db, tiers, laneBudgetMs: config.DELIVERY_LANE_BUDGET_MS, laneConcurrency: config.DELIVERY_LANE_CONCURRENCY });
const deps = { destinations, engine, tiers, metrics };
const outputs = {
  outcomes: config.DELIVERY_OUTCOMES_TOPIC,
  dlq: config.DELIVERY_DLQ_TOPIC,
  invalid: config.DELIVERY_INVALID_TOPIC,
  ...Object.fromEntries(tiers.map((t, i) => [tierOutput(i), t.topic])),
};

await runStagesProcess(
  [
    { stage: resolvedStage(deps, config.DELIVERY_RESOLVED_TOPIC), topics: { input: config.DELIVERY_RESOLVED_TOPIC, outputs } },
    { stage: attemptsStage(deps, config.DELIVERY_ATTEMPTS_TOPIC), topics: { input: config.DELIVERY_ATTEMPTS_TOPIC, outputs }, groupId: config.DELIVERY_ATTEMPTS_GROUP_ID },
  ],
  config,
  {
    registry,
    readiness: { postgres: async () => void (await db.raw('select 1')) },
    onStop: async () => {
      destinations.close();
      sender.close();
      await db.destroy();
    },
  },
);
