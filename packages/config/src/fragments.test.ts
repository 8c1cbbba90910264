import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, describeConfig, loadConfig } from './define';
import type { ConfigError } from './errors';
import { credentialKeysFragment, databaseFragment, kafkaFragment, observabilityFragment, schemaRegistryFragment, stageFragment } from './fragments';

const everything = defineConfig({ ...kafkaFragment, ...schemaRegistryFragment, ...observabilityFragment, ...stageFragment, ...databaseFragment });
const required = {
  KAFKA_BROKERS: 'localhost:9092',
  KAFKA_CLIENT_ID: 'ingest',
  SCHEMA_REGISTRY_URL: 'http://localhost:8081',
  SERVICE_NAME: 'ingest',
  STAGE_GROUP_ID: 'stratum.ingest',
};

it('loads the shared variables with their documented defaults', () => {
  expect(loadConfig(everything, required)).toEqual({
    KAFKA_BROKERS: ['localhost:9092'],
    KAFKA_CLIENT_ID: 'ingest',
    SCHEMA_REGISTRY_URL: 'http://localhost:8081',
    LOG_LEVEL: 'info',
    METRICS_PORT: 9464,
    SERVICE_NAME: 'ingest',
    STAGE_GROUP_ID: 'stratum.ingest',
    STAGE_BATCH_SIZE: 500,
    STAGE_SHUTDOWN_TIMEOUT_MS: 30_000,
    STAGE_SESSION_TIMEOUT_MS: 30_000,
    STAGE_CONCURRENT_PARTITIONS: 1,
    STAGE_FAILPOINTS: '',
    DATABASE_URL: undefined,
  });
});

it('reads every shared variable from text', () => {
  const config = loadConfig(everything, {
    ...required,
    LOG_LEVEL: 'debug',
    METRICS_PORT: '0',
    STAGE_BATCH_SIZE: '100',
    STAGE_SHUTDOWN_TIMEOUT_MS: '10s',
    DATABASE_URL: 'postgres://stratum@localhost:5432/stratum',
  });
  expect([config.LOG_LEVEL, config.METRICS_PORT, config.STAGE_BATCH_SIZE, config.STAGE_SHUTDOWN_TIMEOUT_MS, config.DATABASE_URL]).toEqual([
    'debug',
    0,
    100,
    10_000,
    'postgres://stratum@localhost:5432/stratum',
  ]);
});

it('treats DATABASE_URL as secret, since it usually carries the password', () => {
  expect(describeConfig(everything).filter((v) => v.secret).map((v) => v.name)).toEqual(['DATABASE_URL']);
});

it('is documented in docs/configuration.md, one table row per variable with its default', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
  for (const v of describeConfig(everything)) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${v.name}\` |`));
    expect([v.name, row !== undefined]).toEqual([v.name, true]);
    const dflt = v.default === undefined ? (v.required ? 'required' : 'unset') : `\`${v.default}\``;
    expect([v.name, row?.split('|')[2]?.trim()]).toEqual([v.name, dflt]);
  }
});

describe('credentialKeysFragment', () => {
  const credentials = defineConfig(credentialKeysFragment);
  const key = Buffer.alloc(32, 7).toString('base64');

  it('is optional, so the reader decides what no keys means', () => {
    expect(loadConfig(credentials, {})).toEqual({ STRATUM_CREDENTIALS_KEYS: undefined, STRATUM_CREDENTIALS_ACTIVE_KEY: undefined });
  });

  it('reads the keys in order and the active key id', () => {
    const config = loadConfig(credentials, { STRATUM_CREDENTIALS_KEYS: `old:${key},new:${key}`, STRATUM_CREDENTIALS_ACTIVE_KEY: 'old' });
    expect(config).toEqual({ STRATUM_CREDENTIALS_KEYS: [{ id: 'old', key }, { id: 'new', key }], STRATUM_CREDENTIALS_ACTIVE_KEY: 'old' });
  });

  it('is secret: a bad value is reported without the key material', () => {
    expect(describeConfig(credentials).filter((v) => v.secret).map((v) => v.name)).toEqual(['STRATUM_CREDENTIALS_KEYS', 'STRATUM_CREDENTIALS_ACTIVE_KEY']);
    const shortKey = Buffer.alloc(31, 7).toString('base64');
    const error = (() => {
      try {
        loadConfig(credentials, { STRATUM_CREDENTIALS_KEYS: `k1:${shortKey}` });
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems).toEqual([
      { variable: 'STRATUM_CREDENTIALS_KEYS', message: 'value (hidden) is not a comma-separated id:base64 list of 32-byte keys (entry 1: the key of "k1" is 31 bytes, not 32)' },
    ]);
    expect(error.message).not.toContain(shortKey);
  });
});
