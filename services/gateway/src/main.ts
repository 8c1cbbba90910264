/**
 * The gateway process, wiring only: config → PostgreSQL → tenancy directory → Kafka publisher →
 * rate limiter → credential keyring (Twilio webhooks) → app → HTTP server. SIGTERM/SIGINT: stop
 * accepting, let requests in flight finish (their events are acknowledged or refused), flush and
 * close the publisher, exit 0.
 */
import { loadConfig, processEnv, redactConfig } from '@stratum/config';
import { createDb } from '@stratum/db';
import { credentialKeyringFromConfig, MISSING_KEYS_HELP } from '@stratum/destinations';
import { createLogger, createMetricsRegistry } from '@stratum/observability';
import { createTenancyDirectory } from '@stratum/tenancy';
import { createGatewayApp, gatewayRequestListener } from './app';
import { gatewayConfig } from './config';
import { createKafkaPublisher } from './publish';
import { createMemoryRateLimiter, createRedisRateLimiter } from './rate-limit';
import { startGatewayServer } from './server';

const VERSION = '0.1.0';

async function main(): Promise<void> {
  const config = loadConfig(gatewayConfig, processEnv());
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  logger.info({ config: redactConfig(gatewayConfig, config) }, 'starting gateway');

  const registry = createMetricsRegistry({ service: config.SERVICE_NAME, version: VERSION });
  const db = createDb(config.DATABASE_URL, { applicationName: config.SERVICE_NAME, onWarning: (message) => logger.warn({ knex: message }, 'knex warning') });
  const directory = createTenancyDirectory(db, { ttlMs: config.TENANCY_CACHE_TTL_MS });
  const publisher = createKafkaPublisher({
    kafka: { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID },
    registryUrl: config.SCHEMA_REGISTRY_URL,
    topic: config.GATEWAY_RAW_TOPIC,
    // The catalogue registers events.raw's schema under events.raw-value, whatever the topic is called.
    subject: 'events.raw-value',
    logger,
  });
  const rateLimiter = config.REDIS_URL === undefined ? createMemoryRateLimiter() : createRedisRateLimiter(config.REDIS_URL);
  // Keys are optional: the tracking API does not need them. A wrong active key id still fails the start.
  const keyring = config.STRATUM_CREDENTIALS_KEYS === undefined ? null : credentialKeyringFromConfig(config);
  if (keyring === null) logger.warn(`Twilio webhooks will answer 503 webhooks_unavailable: ${MISSING_KEYS_HELP}`);

  let stopping = false;
  const app = createGatewayApp({
    directory,
    publisher,
    rateLimiter,
    logger,
    metrics: registry,
    config: { maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES, version: VERSION },
    readiness: { postgres: async () => void (await db.raw('select 1')) },
    stopping: () => stopping,
    twilioWebhooks: { db, keyring, publicUrl: config.GATEWAY_PUBLIC_URL ?? null },
  });
  const server = await startGatewayServer(gatewayRequestListener(app), { port: config.GATEWAY_PORT, host: config.GATEWAY_HOST, logger, shutdownTimeoutMs: config.GATEWAY_SHUTDOWN_TIMEOUT_MS });
  logger.info({ url: server.url, openapi: `${server.url}/openapi.json`, metrics: `${server.url}/metrics` }, 'gateway listening');

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    let code = 0;
    await server.stop();
    for (const [name, close] of [
      ['publisher', () => publisher.close()],
      ['rate limiter', () => rateLimiter.close()],
      ['database', () => db.destroy()],
    ] as const) {
      try {
        await close();
      } catch (err) {
        logger.error({ err }, `closing the ${name} failed`);
        code = 1;
      }
    }
    logger.info({ code }, 'gateway stopped');
    process.exit(code);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}

main().catch((err: unknown) => {
  // Config problems and start-up failures: one line that says what, and a non-zero exit.
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
