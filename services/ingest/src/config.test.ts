import { ConfigError, loadConfig } from '@stratum/config';
import { ingestConfig } from './config';

const required = {
  KAFKA_BROKERS: 'localhost:9092',
  KAFKA_CLIENT_ID: 'ingest',
  SCHEMA_REGISTRY_URL: 'http://localhost:8081',
  SERVICE_NAME: 'ingest',
  STAGE_GROUP_ID: 'ingest',
  DATABASE_URL: 'postgres://stratum:secret@localhost:5432/stratum',
};

it('defaults the topics to the catalogue names and the settings cache to 5 s', () => {
  expect(loadConfig(ingestConfig, required)).toMatchObject({
    INGEST_INPUT_TOPIC: 'events.raw',
    INGEST_VALID_TOPIC: 'events.valid',
    INGEST_INVALID_TOPIC: 'events.invalid',
    TENANCY_CACHE_TTL_MS: 5_000,
  });
  expect(loadConfig(ingestConfig, { ...required, TENANCY_CACHE_TTL_MS: '30s', INGEST_INPUT_TOPIC: 't-1.events.raw' })).toMatchObject({ TENANCY_CACHE_TTL_MS: 30_000, INGEST_INPUT_TOPIC: 't-1.events.raw' });
});

it('requires DATABASE_URL: source settings and tracking plans live in PostgreSQL', () => {
  const { DATABASE_URL: _omitted, ...withoutDatabase } = required;
  expect(() => loadConfig(ingestConfig, withoutDatabase)).toThrow(ConfigError);
  expect(() => loadConfig(ingestConfig, withoutDatabase)).toThrow(/DATABASE_URL/);
});
