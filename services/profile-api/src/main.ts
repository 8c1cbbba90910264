/**
 * The profile API process, wiring only: config → credential keyring (null without
 * STRATUM_CREDENTIALS_KEYS) → PostgreSQL (refusing an unmigrated database) → admin-key directory →
 * app → HTTP server. SIGTERM/SIGINT: stop accepting, let requests in flight finish, close the
 * pool, exit 0 (1 if closing failed).
 */
import { EX_CONFIG, loadConfigOrExit, redactConfig } from '@stratum/config';
import { openMigratedDbOrExit } from '@stratum/db';
import { credentialKeyringFromConfig, MISSING_KEYS_HELP, type CredentialKeyring } from '@stratum/destinations';
import { createLogger, createMetricsRegistry } from '@stratum/observability';
import { createAdminKeyDirectory } from '@stratum/tenancy';
import { createProfileApiApp } from './app';
import { profileApiConfig } from './config';
import { startServer } from './server';

const VERSION = '0.1.0';

const config = loadConfigOrExit(profileApiConfig);
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
logger.info({ config: redactConfig(profileApiConfig, config) }, 'starting profile API');

// Optional: without keys every endpoint works, and a destination with credentials is refused (503
// credentials_unavailable). Keys that are set but malformed are a configuration error: exit 78.
let keyring: CredentialKeyring | null = null;
try {
  keyring = config.STRATUM_CREDENTIALS_KEYS === undefined ? null : credentialKeyringFromConfig(config);
} catch (err) {
  // An active key that is not among the keys: the message names the ids, never key material.
  logger.fatal({ err }, 'invalid credential keys');
  process.exit(EX_CONFIG);
}
if (keyring === null) logger.warn(`destinations cannot be given credentials (503 credentials_unavailable): ${MISSING_KEYS_HELP}`);

// Every endpoint reads tables migrations create: refuses to start (exit 78) on a database they have not reached.
const db = await openMigratedDbOrExit(config.DATABASE_URL, { applicationName: config.SERVICE_NAME, onWarning: (message) => logger.warn({ knex: message }, 'knex warning') });
const registry = createMetricsRegistry({ service: config.SERVICE_NAME, version: VERSION });
const directory = createAdminKeyDirectory(db, { ttlMs: config.TENANCY_CACHE_TTL_MS });
const app = createProfileApiApp({ db, directory, logger, metrics: registry, version: VERSION, keyring });
const server = await startServer(app, { port: config.PROFILE_API_PORT, host: config.PROFILE_API_HOST, logger, shutdownTimeoutMs: config.PROFILE_API_SHUTDOWN_TIMEOUT_MS });
logger.info({ url: server.url, openapi: `${server.url}/openapi.json`, metrics: `${server.url}/metrics` }, 'profile API listening');

let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: finishing requests in flight');
  let code = 0;
  await server.stop();
  try {
    await db.destroy();
  } catch (err) {
    logger.error({ err }, 'closing the database failed');
    code = 1;
  }
  logger.info({ code }, 'profile API stopped');
  process.exit(code);
};
process.once('SIGTERM', (signal) => void stop(signal));
process.once('SIGINT', (signal) => void stop(signal));
