import { loadConfig } from '@stratum/config';
import { dedupConfig } from './config';

const required = {
  KAFKA_BROKERS: 'localhost:9092',
  KAFKA_CLIENT_ID: 'dedup',
  SCHEMA_REGISTRY_URL: 'http://localhost:8081',
  SERVICE_NAME: 'dedup',
  STAGE_GROUP_ID: 'stratum-dedup',
  DATABASE_URL: 'postgres://localhost/stratum',
};

it('defaults to the catalogue topics, a 7-day window and a 200k-entry cache', () => {
  const c = loadConfig(dedupConfig, required);
  expect([c.DEDUP_INPUT_TOPIC, c.DEDUP_OUTPUT_TOPIC, c.DEDUP_INVALID_TOPIC]).toEqual(['events.valid', 'events.unique', 'events.invalid']);
  expect(c.DEDUP_DEFAULT_WINDOW_MS).toBe(7 * 86_400_000);
  expect(c.DEDUP_CACHE_ENTRIES).toBe(200_000);
});

it('refuses a missing database and a window outside 1 s to 90 days, naming each', () => {
  const { DATABASE_URL: _, ...noDatabase } = required;
  expect(() => loadConfig(dedupConfig, { ...noDatabase, DEDUP_DEFAULT_WINDOW_MS: '500' })).toThrow(/DATABASE_URL[\s\S]*DEDUP_DEFAULT_WINDOW_MS|DEDUP_DEFAULT_WINDOW_MS[\s\S]*DATABASE_URL/);
  expect(() => loadConfig(dedupConfig, { ...required, DEDUP_DEFAULT_WINDOW_MS: '2200h' })).toThrow(/DEDUP_DEFAULT_WINDOW_MS/);
  expect(loadConfig(dedupConfig, { ...required, DEDUP_DEFAULT_WINDOW_MS: '24h' }).DEDUP_DEFAULT_WINDOW_MS).toBe(86_400_000);
});
