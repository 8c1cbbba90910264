/** src/main.ts as a real process: config, the migration check, serving, SIGTERM. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createDb, migrateToLatest } from '@stratum/db';
import { provisionTenant } from '@stratum/tenancy';
import { spawnTsProcess, useTestPostgres, waitFor, type TsProcess } from '@stratum/testing';

jest.setTimeout(60_000);
const postgres = useTestPostgres();
const entry = join(__dirname, '..', 'src', 'main.ts');
const start = (env: Record<string, string>): TsProcess => spawnTsProcess(entry, env);
const urlOf = (p: TsProcess) => /"url":"([^"]+)"/.exec(p.stdout())?.[1] ?? null;

it('serves from its environment and stops on SIGTERM with exit 0', async () => {
  const database = await postgres.newDatabase();
  const db = createDb(database.url);
  try {
    await migrateToLatest(db);
    const tenant = await provisionTenant(db, { name: 'main-test' });
    const api = start({ DATABASE_URL: database.url, SERVICE_NAME: 'profile-api', PROFILE_API_PORT: '0', LOG_LEVEL: 'info' });
    try {
      await waitFor(() => urlOf(api) !== null || api.child.exitCode !== null, { timeoutMs: 30_000, what: 'the profile API to listen' });
      if (api.child.exitCode !== null) throw new Error(`exited ${api.child.exitCode}: ${api.stderr()}${api.stdout()}`);
      const url = urlOf(api)!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const res = await fetch(`${url}/v1/profiles/prf_none`, { headers: { authorization: `Bearer ${tenant.adminKey}` } });
      expect(res.status).toBe(404);
    } finally {
      api.child.kill('SIGTERM');
    }
    expect(await api.exit).toBe(0);
  } finally {
    await db.destroy();
    await database.drop();
  }
});

it('seals destination credentials with STRATUM_CREDENTIALS_KEYS; without them answers 503 credentials_unavailable', async () => {
  const database = await postgres.newDatabase();
  const db = createDb(database.url);
  const destination = { name: 'Hook', type: 'webhook', settings: { url: 'https://hooks.example.com' }, credentials: { secrets: [`whsec_${randomBytes(32).toString('base64')}`] } };
  const env = { DATABASE_URL: database.url, SERVICE_NAME: 'profile-api', PROFILE_API_PORT: '0' };
  try {
    await migrateToLatest(db);
    const tenant = await provisionTenant(db, { name: 'main-keys' });
    const post = (url: string) =>
      fetch(`${url}/v1/destinations`, { method: 'POST', headers: { authorization: `Bearer ${tenant.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(destination) });
    for (const [keys, status, keyId] of [[`k7:${randomBytes(32).toString('base64')}`, 201, 'k7'], [undefined, 503, undefined]] as const) {
      const api = start(keys === undefined ? env : { ...env, STRATUM_CREDENTIALS_KEYS: keys });
      try {
        await waitFor(() => urlOf(api) !== null || api.child.exitCode !== null, { timeoutMs: 30_000, what: 'the profile API to listen' });
        const res = await post(urlOf(api)!);
        expect([keys === undefined ? 'no keys' : 'keys', res.status]).toEqual([keys === undefined ? 'no keys' : 'keys', status]);
        expect(await res.json()).toMatchObject(keyId === undefined ? { code: 'credentials_unavailable' } : { hasCredentials: true, credentialsKeyId: keyId });
        if (keys !== undefined) expect(api.stdout()).not.toContain(keys.slice(3));
      } finally {
        api.child.kill('SIGTERM');
      }
      expect(await api.exit).toBe(0);
    }
  } finally {
    await db.destroy();
    await database.drop();
  }
});

it('exits 78 on malformed credential keys, or an active key that is not among them', async () => {
  const database = await postgres.newDatabase();
  try {
    const env = { DATABASE_URL: database.url, SERVICE_NAME: 'profile-api', PROFILE_API_PORT: '0' };
    const short = start({ ...env, STRATUM_CREDENTIALS_KEYS: `k1:${randomBytes(16).toString('base64')}` });
    expect(await short.exit).toBe(78);
    expect(short.stderr()).toContain('STRATUM_CREDENTIALS_KEYS');
    const unknown = start({ ...env, STRATUM_CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`, STRATUM_CREDENTIALS_ACTIVE_KEY: 'k9' });
    expect(await unknown.exit).toBe(78);
    expect(unknown.stdout()).toContain('STRATUM_CREDENTIALS_ACTIVE_KEY is \\"k9\\"');
  } finally {
    await database.drop();
  }
});

it('exits 78 naming a missing variable', async () => {
  const api = start({ SERVICE_NAME: 'profile-api' });
  expect(await api.exit).toBe(78);
  expect(api.stderr()).toContain('DATABASE_URL');
});

it('refuses to start on a database that is not migrated', async () => {
  const empty = await postgres.newDatabase();
  const api = start({ DATABASE_URL: empty.url, SERVICE_NAME: 'profile-api', PROFILE_API_PORT: '0' });
  expect(await api.exit).toBe(78);
  expect(api.stderr()).toMatch(/pending migration\(s\).*pnpm stratum db migrate/);
  await empty.drop();
});
