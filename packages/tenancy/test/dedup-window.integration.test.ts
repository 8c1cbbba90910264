/** The dedup window: configured per tenant and per source, resolved (source, else tenant, else null) for services. */
import { type Db } from '@stratum/db';
import {
  createSource,
  createTenancyDirectory,
  getSource,
  inMemoryDirectory,
  listSources,
  listTenants,
  MAX_DEDUP_WINDOW_SECONDS,
  MIN_DEDUP_WINDOW_SECONDS,
  provisionTenant,
  sourceSettings,
  tenancyErrors,
  updateSource,
  updateTenant,
} from '../src';
import { useMigratedDatabase } from '@stratum/db/testing';

const migrated = useMigratedDatabase();
let db: Db;
beforeAll(() => ({ db } = migrated));

const HOUR = 3600;
const DAY = 86_400;
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

test('the bounds are 1 minute and 90 days', () => {
  expect(MIN_DEDUP_WINDOW_SECONDS).toBe(60);
  expect(MAX_DEDUP_WINDOW_SECONDS).toBe(7_776_000);
});

test('nothing configured: null everywhere (the dedup service default applies)', async () => {
  const t = await provisionTenant(db, { name: 'plain' });
  expect(await getSource(db, t.sourceId)).toMatchObject({ dedupWindowSeconds: null, configuredDedupWindowSeconds: null });
  expect((await listTenants(db)).find((x) => x.tenantId === t.tenantId)).toMatchObject({ dedupWindowSeconds: null });
});

test('effective window: the source overrides the tenant, the tenant overrides null; clearing falls back', async () => {
  const t = await provisionTenant(db, { name: 'layered', dedupWindowSeconds: 2 * HOUR });
  const other = await createSource(db, { tenant: t.tenantId, name: 'other' });

  // The default source got the window given at provisioning; the tenant itself has none yet.
  expect(await getSource(db, t.sourceId)).toMatchObject({ dedupWindowSeconds: 2 * HOUR, configuredDedupWindowSeconds: 2 * HOUR });
  expect(await getSource(db, other.sourceId)).toMatchObject({ dedupWindowSeconds: null, configuredDedupWindowSeconds: null });

  expect(await updateTenant(db, t.tenantId, { dedupWindowSeconds: 7 * DAY })).toEqual({ tenantId: t.tenantId, name: 'layered', piiPolicy: 'keep', dedupWindowSeconds: 7 * DAY });
  const sources = await listSources(db, t.tenantId);
  expect(sources.map((s) => [s.sourceName, s.configuredDedupWindowSeconds, s.dedupWindowSeconds])).toEqual([
    ['default', 2 * HOUR, 2 * HOUR], // its own wins
    ['other', null, 7 * DAY], // inherits the tenant's
  ]);
  expect((await listTenants(db)).find((x) => x.tenantId === t.tenantId)).toMatchObject({ dedupWindowSeconds: 7 * DAY, sources: 2 });

  // Clearing the source's own: it inherits the tenant's again.
  expect(await updateSource(db, t.sourceId, { dedupWindowSeconds: null })).toMatchObject({ dedupWindowSeconds: 7 * DAY, configuredDedupWindowSeconds: null });
  // Clearing the tenant's: back to null (service default).
  await updateTenant(db, t.tenantId, { dedupWindowSeconds: null });
  expect(await getSource(db, t.sourceId)).toMatchObject({ dedupWindowSeconds: null, configuredDedupWindowSeconds: null });

  // An update that does not mention the window leaves it alone.
  await updateSource(db, other.sourceId, { dedupWindowSeconds: MIN_DEDUP_WINDOW_SECONDS });
  expect(await updateSource(db, other.sourceId, { limits: { rateLimitPerSecond: 10 } })).toMatchObject({ dedupWindowSeconds: 60, configuredDedupWindowSeconds: 60 });
});

test('createSource takes a window; a tenant without one leaves it as the source set it', async () => {
  await provisionTenant(db, { name: 'sourced' });
  const s = await createSource(db, { tenant: 'sourced', name: 'web', dedupWindowSeconds: MAX_DEDUP_WINDOW_SECONDS });
  expect(await getSource(db, s.sourceId)).toMatchObject({ dedupWindowSeconds: MAX_DEDUP_WINDOW_SECONDS, configuredDedupWindowSeconds: MAX_DEDUP_WINDOW_SECONDS });
});

test('out-of-range or fractional windows are invalid_input naming the field and the limits; nothing is written', async () => {
  const t = await provisionTenant(db, { name: 'strict' });
  const attempts = [
    () => updateTenant(db, t.tenantId, { dedupWindowSeconds: 59 }),
    () => updateTenant(db, t.tenantId, { dedupWindowSeconds: MAX_DEDUP_WINDOW_SECONDS + 1 }),
    () => updateSource(db, t.sourceId, { dedupWindowSeconds: 90.5 }),
    () => updateSource(db, t.sourceId, { dedupWindowSeconds: Number.NaN }),
    () => createSource(db, { tenant: t.tenantId, name: 'short', dedupWindowSeconds: 0 }),
    () => provisionTenant(db, { name: 'too-long', dedupWindowSeconds: -60 }),
  ];
  for (const attempt of attempts) {
    const err = await failure(attempt());
    expect(tenancyErrors.is(err, 'invalid_input')).toBe(true);
    expect((err as Error).message).toMatch(/^dedupWindowSeconds must be a whole number of seconds from 60 \(1 minute\) to 7776000 \(90 days\), or null to inherit, got /);
  }
  expect((await listTenants(db)).find((x) => x.tenantId === t.tenantId)).toMatchObject({ dedupWindowSeconds: null, sources: 1 });
  expect(await getSource(db, t.sourceId)).toMatchObject({ configuredDedupWindowSeconds: null });
  expect((await listTenants(db)).some((x) => x.name === 'too-long')).toBe(false);
});

test('updateTenant of an unknown tenant is not_found; it takes an id, not a name', async () => {
  await provisionTenant(db, { name: 'named' });
  for (const id of ['ten_doesnotexist0000', 'named']) {
    const err = await failure(updateTenant(db, id, { dedupWindowSeconds: DAY }));
    expect(tenancyErrors.is(err, 'not_found')).toBe(true);
    expect((err as Error).message).toBe(`no tenant with id "${id}"`);
  }
});

test('the directory serves the effective window, by write key and by ids, and sees changes after its TTL', async () => {
  let now = 0;
  const t = await provisionTenant(db, { name: 'cached' });
  await updateTenant(db, t.tenantId, { dedupWindowSeconds: DAY });
  const directory = createTenancyDirectory(db, { ttlMs: 1000, now: () => now });
  expect(await directory.sourceForWriteKey(t.writeKey!)).toMatchObject({ sourceId: t.sourceId, dedupWindowSeconds: DAY });

  await updateSource(db, t.sourceId, { dedupWindowSeconds: HOUR });
  expect(await directory.sourceForWriteKey(t.writeKey!)).toMatchObject({ dedupWindowSeconds: DAY }); // still cached
  now += 5000;
  expect(await directory.sourceForWriteKey(t.writeKey!)).toMatchObject({ dedupWindowSeconds: HOUR });
  expect(await directory.source(t.tenantId, t.sourceId)).toMatchObject({ dedupWindowSeconds: HOUR });

  await updateSource(db, t.sourceId, { dedupWindowSeconds: null });
  now += 5000;
  expect(await directory.source(t.tenantId, t.sourceId)).toMatchObject({ dedupWindowSeconds: DAY });
});

test('sourceSettings() defaults the window to null; the in-memory directory serves what it is given', async () => {
  expect(sourceSettings({ tenantId: 't', sourceId: 's' }).dedupWindowSeconds).toBeNull();
  const directory = inMemoryDirectory([
    { settings: sourceSettings({ tenantId: 't', sourceId: 's' }), writeKeys: ['wk_a'] },
    { settings: sourceSettings({ tenantId: 't', sourceId: 'r', dedupWindowSeconds: HOUR }), writeKeys: ['wk_b'] },
  ]);
  expect(await directory.sourceForWriteKey('wk_a')).toMatchObject({ sourceId: 's', dedupWindowSeconds: null });
  expect(await directory.source('t', 'r')).toMatchObject({ dedupWindowSeconds: HOUR });
});
