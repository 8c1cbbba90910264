/** Admin keys → tenant: the cached directory the profile API authenticates with. */
import { createDb, type Db } from '@stratum/db';
import { closedPort } from '@stratum/testing';
import { createAdminKeyDirectory, hashWriteKey, provisionTenant, tenancyErrors, tenantForAdminKey } from '../src';
import { useMigratedDatabase } from '@stratum/db/testing';

const migrated = useMigratedDatabase();
let db: Db;
beforeAll(() => ({ db } = migrated));

test('an admin key names its tenant; unknown keys and write keys do not', async () => {
  const t = await provisionTenant(db, { name: 'admin-acme' });
  expect(await tenantForAdminKey(db, t.adminKey!)).toEqual({ tenantId: t.tenantId, tenantName: 'admin-acme' });
  expect(await tenantForAdminKey(db, 'sk_unknown')).toBeNull();
  expect(await tenantForAdminKey(db, t.writeKey!)).toBeNull();
});

test('the directory caches for its TTL: an expired key works until the entry expires, then not', async () => {
  const t = await provisionTenant(db, { name: 'admin-expiring' });
  let now = 0;
  const directory = createAdminKeyDirectory(db, { ttlMs: 1000, now: () => now });
  expect(await directory.tenantForAdminKey(t.adminKey!)).toMatchObject({ tenantId: t.tenantId });
  expect(await directory.tenantForAdminKey('sk_nobody')).toBeNull();

  await db('admin_keys').where({ key_hash: hashWriteKey(t.adminKey!) }).update({ expires_at: db.raw("now() - interval '1 second'") });
  now = 500;
  expect(await directory.tenantForAdminKey(t.adminKey!)).toMatchObject({ tenantId: t.tenantId }); // still cached
  now = 1500;
  expect(await directory.tenantForAdminKey(t.adminKey!)).toBeNull();
});

test('PostgreSQL unreachable: tenancy_unavailable for a key never seen (the API answers 503, not 401)', async () => {
  const down = createDb(`postgres://postgres@127.0.0.1:${await closedPort()}/nowhere`);
  try {
    const err = await createAdminKeyDirectory(down).tenantForAdminKey('sk_anything').catch((e: unknown) => e);
    expect(tenancyErrors.is(err, 'tenancy_unavailable')).toBe(true);
  } finally {
    await down.destroy();
  }
});
