/** The running `stratum start` as the other commands find it: its file, a dead one ignored, the environment first. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBrokers, defaultDatabaseUrl, defaultRegistryUrl, recordRunningPlatform, runningPlatform } from './running-platform';

let dataDir: string;
const saved = { ...process.env };
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stratum-running-platform-'));
  process.env.STRATUM_DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  delete process.env.KAFKA_BROKERS;
  delete process.env.SCHEMA_REGISTRY_URL;
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(dataDir, { recursive: true, force: true });
});

const platform = { brokers: ['127.0.0.1:19092'], registryUrl: 'http://127.0.0.1:18081', databaseUrl: 'postgres://postgres:secret@127.0.0.1:15433/postgres' };

it('finds what this process recorded, and nothing once it is forgotten', () => {
  const forget = recordRunningPlatform(dataDir, platform);
  expect(runningPlatform()).toEqual({ pid: process.pid, ...platform });
  expect([defaultDatabaseUrl(), defaultBrokers(), defaultRegistryUrl()]).toEqual([platform.databaseUrl, '127.0.0.1:19092', platform.registryUrl]);
  forget();
  expect(runningPlatform()).toBeNull();
  expect([defaultDatabaseUrl(), defaultBrokers(), defaultRegistryUrl()]).toEqual([undefined, undefined, undefined]);
});

it('ignores a file whose process is gone (a start that was killed)', () => {
  // Above the kernel's pid limit (2^22): no process has it.
  writeFileSync(join(dataDir, 'platform.json'), JSON.stringify({ pid: 2 ** 22 + 1, ...platform }));
  expect(runningPlatform()).toBeNull();
  writeFileSync(join(dataDir, 'platform.json'), 'not json');
  expect(runningPlatform()).toBeNull();
});

it('lets the environment win over the running platform', () => {
  recordRunningPlatform(dataDir, platform);
  Object.assign(process.env, { DATABASE_URL: 'postgres://elsewhere/db', KAFKA_BROKERS: 'kafka:9092', SCHEMA_REGISTRY_URL: 'http://registry:8081' });
  expect([defaultDatabaseUrl(), defaultBrokers(), defaultRegistryUrl()]).toEqual(['postgres://elsewhere/db', 'kafka:9092', 'http://registry:8081']);
  // An empty variable counts as unset, as a compose file's `DATABASE_URL=` would mean.
  process.env.DATABASE_URL = '';
  expect(defaultDatabaseUrl()).toBe(platform.databaseUrl);
});

it('has no database with --no-services', () => {
  recordRunningPlatform(dataDir, { ...platform, databaseUrl: null });
  expect(defaultDatabaseUrl()).toBeUndefined();
  expect(defaultBrokers()).toBe('127.0.0.1:19092');
});
