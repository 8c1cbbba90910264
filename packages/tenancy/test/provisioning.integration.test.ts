import net from 'node:net';
import { createDb, type Db } from '@stratum/db';
import { type TestDatabase } from '@stratum/testing';
import {
  createSource,
  createTenancyDirectory,
  DEFAULT_LIMITS,
  hashWriteKey,
  listSources,
  listTenants,
  provisionTenant,
  rotateWriteKey,
  tenancyErrors,
  updateSource,
  type TrackingPlan,
} from '../src';
import { useMigratedDatabase } from '@stratum/db/testing';

const migrated = useMigratedDatabase();
let database: TestDatabase;
let db: Db;
beforeAll(() => ({ db, database } = migrated));

const plan: TrackingPlan = {
  mode: 'block',
  defaultSchemaVersion: '1.0.0',
  events: [
    // In the order the directory returns them: by type, name, version.
    { type: 'identify', name: null, version: '1.0.0', schema: { type: 'object' } },
    { type: 'track', name: 'Order Completed', version: '1.0.0', schema: { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] } },
  ],
};

test('tenant create returns ids and keys once; keys are stored only as hashes', async () => {
  const t = await provisionTenant(db, { name: 'acme' });
  expect(t).toEqual({ tenantId: expect.stringMatching(/^ten_[a-z0-9]{16}$/), sourceId: expect.stringMatching(/^src_[a-z0-9]{16}$/), writeKey: expect.stringMatching(/^wk_/), adminKey: expect.stringMatching(/^sk_/), created: true });
  const stored = await db('write_keys').where({ source_id: t.sourceId }).first();
  expect(stored.key_hash).toBe(hashWriteKey(t.writeKey!));
  expect(JSON.stringify(await db('write_keys').select())).not.toContain(t.writeKey);
  expect(JSON.stringify(await db('admin_keys').select())).not.toContain(t.adminKey);
});

test('re-running with the same name (any case) creates nothing and returns the same ids, without keys', async () => {
  const first = await provisionTenant(db, { name: 'Globex' });
  const again = await provisionTenant(db, { name: 'globex' });
  expect(again).toEqual({ tenantId: first.tenantId, sourceId: first.sourceId, writeKey: null, adminKey: null, created: false });
  expect(await db('tenants').whereRaw("lower(name) = 'globex'").count('* as n').first()).toEqual({ n: '1' });
});

test('ten concurrent creates of one name make one tenant', async () => {
  const results = await Promise.all(Array.from({ length: 10 }, () => provisionTenant(db, { name: 'racy' })));
  expect(new Set(results.map((r) => r.tenantId)).size).toBe(1);
  expect(results.filter((r) => r.created)).toHaveLength(1);
});

test('bad input is refused with a message naming the field and the rule, and nothing is written', async () => {
  const err = (p: Promise<unknown>) => p.catch((e: unknown) => e);
  const cases = [
    [provisionTenant(db, { name: '' }), /tenant name "" is not valid/],
    [provisionTenant(db, { name: 'x', piiPolicy: 'maybe' as never }), /PII policy must be one of keep, drop/],
    [provisionTenant(db, { name: 'y', limits: { maxBatchEvents: 0 } }), /maxBatchEvents must be an integer of at least 1, got 0/],
    [provisionTenant(db, { name: 'z', limits: { maxEventBytes: 600_000 } }), /maxEventBytes \(600000\) cannot exceed maxBatchBytes \(512000\)/],
    [provisionTenant(db, { name: 'w', defaultPhoneRegion: 'USA' }), /ISO 3166-1 alpha-2/],
    [provisionTenant(db, { name: 'v', trackingPlan: { ...plan, events: [{ type: 'track', name: 'A', version: 'one', schema: {} }] } }), /events\[0\]\.version must be a semver/],
  ] as const;
  for (const [promise, message] of cases) {
    const e = await err(promise);
    expect(tenancyErrors.is(e, 'invalid_input')).toBe(true);
    expect((e as Error).message).toMatch(message);
  }
  expect(await db('tenants').whereIn('name', ['x', 'y', 'z', 'w', 'v'])).toEqual([]);
});

test('sources: create with limits and a plan, list, update; names unique per tenant', async () => {
  const t = await provisionTenant(db, { name: 'initech', piiPolicy: 'drop' });
  const web = await createSource(db, { tenant: 'initech', name: 'web', limits: { maxBatchBytes: 256 * 1024, maxBatchEvents: 50 }, trackingPlan: plan, defaultPhoneRegion: 'gb' });
  expect(web.tenantId).toBe(t.tenantId);
  await expect(createSource(db, { tenant: t.tenantId, name: 'WEB' })).rejects.toThrow(/already has a source named "WEB"/);
  await expect(createSource(db, { tenant: 'nobody', name: 'web' })).rejects.toThrow(/no tenant with id or name "nobody"/);

  const sources = await listSources(db, t.tenantId);
  expect(sources.map((s) => s.sourceName)).toEqual(['default', 'web']);
  const settings = sources[1]!;
  expect(settings).toMatchObject({ tenantName: 'initech', piiPolicy: 'drop', defaultPhoneRegion: 'GB', enabled: true });
  expect(settings.limits).toEqual({ ...DEFAULT_LIMITS, maxBatchBytes: 262_144, maxBatchEvents: 50 });
  expect(settings.trackingPlan).toEqual(plan);

  const updated = await updateSource(db, web.sourceId, { limits: { rateLimitPerSecond: 10 }, enabled: false, trackingPlan: { mode: 'allow', defaultSchemaVersion: '2.0.0', events: [] } });
  expect(updated.limits).toEqual({ ...settings.limits, rateLimitPerSecond: 10 });
  expect(updated.enabled).toBe(false);
  expect(updated.trackingPlan).toEqual({ mode: 'allow', defaultSchemaVersion: '2.0.0', events: [] });
  expect((await listTenants(db)).find((x) => x.name === 'initech')).toMatchObject({ sources: 2, piiPolicy: 'drop' });
});

test('directory: write key → source settings; rotation revokes at once or after a grace period', async () => {
  let now = 1_000_000;
  const t = await provisionTenant(db, { name: 'umbrella', trackingPlan: plan });
  const directory = createTenancyDirectory(db, { ttlMs: 1000, now: () => now });
  expect(await directory.sourceForWriteKey(t.writeKey!)).toMatchObject({ tenantId: t.tenantId, sourceId: t.sourceId, trackingPlan: plan });
  expect(await directory.source(t.tenantId, t.sourceId)).toMatchObject({ sourceName: 'default' });
  expect(await directory.source('ten_other', t.sourceId)).toBeNull();
  expect(await directory.sourceForWriteKey('wk_unknown')).toBeNull();

  const graced = await rotateWriteKey(db, t.sourceId, { graceSeconds: 3600 });
  now += 5000;
  expect(await directory.sourceForWriteKey(t.writeKey!)).not.toBeNull();
  expect(await directory.sourceForWriteKey(graced.writeKey)).not.toBeNull();

  const rotated = await rotateWriteKey(db, t.sourceId);
  expect(rotated.previousKeys).toBe(2);
  now += 5000;
  expect(await directory.sourceForWriteKey(t.writeKey!)).toBeNull();
  expect(await directory.sourceForWriteKey(graced.writeKey)).toBeNull();
  expect(await directory.sourceForWriteKey(rotated.writeKey)).toMatchObject({ sourceId: t.sourceId });
});

test('directory: cached for ttl; concurrent misses share one query; stale entries served while PostgreSQL is down', async () => {
  let now = 0;
  const t = await provisionTenant(db, { name: 'hooli' });
  // PostgreSQL through a TCP proxy this test can cut, as a network outage would.
  const target = new URL(database.url);
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined).on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const viaProxy = new URL(database.url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String((proxy.address() as net.AddressInfo).port);
  const separate = createDb(viaProxy.toString());
  let queries = 0;
  separate.on('query', () => queries++);
  const directory = createTenancyDirectory(separate, { ttlMs: 1000, now: () => now });
  try {
    await Promise.all(Array.from({ length: 20 }, () => directory.sourceForWriteKey(t.writeKey!)));
    expect(queries).toBe(2); // the source, then its plan
    await directory.sourceForWriteKey(t.writeKey!);
    expect(queries).toBe(2);

    await new Promise<void>((resolve) => {
      proxy.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    now += 5000;
    const err = await directory.sourceForWriteKey('wk_never_seen').catch((e: unknown) => e);
    expect(tenancyErrors.is(err, 'tenancy_unavailable')).toBe(true);
    expect((err as { retriable: boolean }).retriable).toBe(true);
    expect(await directory.sourceForWriteKey(t.writeKey!)).toMatchObject({ sourceId: t.sourceId });
  } finally {
    await separate.destroy();
  }
});
