/**
 * Tenancy: the admin key decides the tenant. Another tenant's profile id answers exactly what an
 * unknown id answers (404 profile_not_found, same words, nothing about the profile) on every
 * endpoint — never 403 — and writes nothing; its identifiers are not found. No key, a bad key or a
 * write key is 401.
 */
import { withTenant } from '@stratum/identity';
import { PROFILE_ROUTES } from '../src/routes';
import { call, seedAudit, seedConsents, seedEvents, seedIdentifiers, seedProfiles, useProfileApi, type ErrorBody, type ProfileList, type TestTenant } from './harness';

const h = useProfileApi();
let mine: TestTenant;
let theirs: TestTenant;

beforeAll(async () => {
  [mine, theirs] = [await h.tenant(), await h.tenant()];
  await seedProfiles(h.db, mine.tenantId, [{ id: 'prf_mine' }]);
  await seedProfiles(h.db, theirs.tenantId, [{ id: 'prf_theirs', traits: { name: 'Secret' } }, { id: 'prf_theirs_old', mergedInto: 'prf_theirs' }]);
  await seedIdentifiers(h.db, theirs.tenantId, [{ type: 'email', canonical: 'secret@them.com', profileId: 'prf_theirs' }]);
  await seedEvents(h.db, theirs.tenantId, [{ messageId: 'their-event', eventTs: '2026-11-10T00:00:00Z', profileId: 'prf_theirs' }]);
  await seedAudit(h.db, theirs.tenantId, [{ id: 'their-audit', action: 'merge', profileId: 'prf_theirs', otherProfileIds: ['prf_theirs_old'], occurredAt: '2026-11-10T00:00:00Z' }]);
  await seedConsents(h.db, theirs.tenantId, [{ profileId: 'prf_theirs', purpose: 'marketing', status: 'granted', effectiveAt: '2026-11-10T00:00:00Z' }]);
});

/** Every profile endpoint, for a given id: method, path, body. */
const endpoints = (id: string) => [
  { method: 'GET', path: `/v1/profiles/${id}` },
  { method: 'GET', path: `/v1/profiles/${id}/events` },
  { method: 'GET', path: `/v1/profiles/${id}/events?limit=10` },
  { method: 'GET', path: `/v1/profiles/${id}/merges` },
  { method: 'PUT', path: `/v1/profiles/${id}/consents`, body: { consents: [{ purpose: 'marketing', status: 'withdrawn' }] } },
  { method: 'POST', path: `/v1/profiles/${id}/unmerge`, body: { identifier: 'email:secret@them.com' } },
];

// Destinations have their own isolation tests (destinations.integration.test.ts).
it('the list below covers every profile route with an {id}', () => {
  const withId = PROFILE_ROUTES.filter((r) => r.path.startsWith('/v1/profiles/') && r.path.includes('{id}')).map((r) => `${r.method} ${r.path}`);
  const covered = endpoints('{id}').map((e) => `${e.method} ${e.path.split('?')[0]}`);
  expect(new Set(covered)).toEqual(new Set(withId));
});

describe.each(['prf_theirs', 'prf_theirs_old'])("another tenant's id %s", (theirId) => {
  it.each(endpoints(theirId))('$method $path → 404 profile_not_found, the same as an unknown id', async ({ method, path, body }) => {
    const theirs = await call(h, path, { key: mine.adminKey, method, ...(body ? { body } : {}) });
    const unknownPath = path.replace(theirId, 'prf_does_not_exist');
    const unknown = await call(h, unknownPath, { key: mine.adminKey, method, ...(body ? { body } : {}) });
    expect(theirs.status).toBe(404);
    expect(Object.keys(theirs.body).sort()).toEqual(['code', 'message', 'requestId']);
    expect(theirs.body).toEqual({ code: 'profile_not_found', message: `profile "${theirId}" not found`, requestId: expect.any(String) });
    expect({ ...unknown.body, message: unknown.body.message.replace('prf_does_not_exist', theirId), requestId: '' }).toEqual({ ...theirs.body, requestId: '' });
    expect(JSON.stringify(theirs.body)).not.toMatch(/Secret|their-event|their-audit|marketing/);
  });
});

it('a PUT on their id records nothing for them (or for us)', async () => {
  await call(h, '/v1/profiles/prf_theirs/consents', { key: mine.adminKey, method: 'PUT', body: { consents: [{ purpose: 'hijack', status: 'granted' }] } });
  const rows = await withTenant(h.db, theirs.tenantId, (trx) => trx('consents').where({ tenant_id: theirs.tenantId }).pluck<string[]>('purpose'));
  expect(rows).toEqual(['marketing']);
  const ours = await withTenant(h.db, mine.tenantId, (trx) => trx('consents').where({ tenant_id: mine.tenantId }).pluck<string[]>('purpose'));
  expect(ours).not.toContain('hijack');
});

it("their identifiers are not found with our key, and are with theirs", async () => {
  const path = '/v1/profiles?identifier=email:secret@them.com';
  expect((await call<ProfileList>(h, path, { key: mine.adminKey })).body).toEqual({ profiles: [] });
  expect((await call<ProfileList>(h, path, { key: theirs.adminKey })).body.profiles.map((p) => p.id)).toEqual(['prf_theirs']);
});

it('their key reads their profile (the 404 above is tenancy, not absence)', async () => {
  expect((await call(h, '/v1/profiles/prf_theirs', { key: theirs.adminKey })).status).toBe(200);
  expect((await call(h, '/v1/profiles/prf_mine', { key: theirs.adminKey })).status).toBe(404);
});

describe('401 unauthorized', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['no Authorization header', {}],
    ['an unknown key', { authorization: 'Bearer sk_NotARealKeyAtAll0000000000000000' }],
    ['a write key', { authorization: 'WRITE' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['another scheme', { authorization: 'Token sk_abc' }],
    ['Basic with an unknown user', { authorization: `Basic ${Buffer.from('sk_nope:').toString('base64')}` }],
  ];
  it.each(cases)('%s', async (_what, headers) => {
    const auth = headers.authorization === 'WRITE' ? { authorization: `Bearer ${mine.writeKey}` } : headers;
    for (const { method, path, body } of [...endpoints('prf_mine'), { method: 'GET', path: '/v1/profiles?identifier=email:a@x.com' }]) {
      const res = await call<ErrorBody>(h, path, { method, headers: auth, ...(body ? { body } : {}) });
      expect([path, res.status]).toEqual([path, 401]);
      expect(res.body).toEqual({ code: 'unauthorized', message: expect.any(String), requestId: expect.any(String) });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="Stratum"');
    }
  });

  it('an expired admin key', async () => {
    const t = await h.tenant();
    await h.db('admin_keys').where({ tenant_id: t.tenantId }).update({ expires_at: h.db.raw("now() - interval '1 minute'") });
    const res = await call(h, '/v1/profiles/prf_mine', { key: t.adminKey });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/^admin key sk_\S+… is unknown, expired or revoked$/);
  });

  it('comes before any other check (no hint that a path or parameter is valid)', async () => {
    expect((await call(h, '/v1/profiles/prf_mine/events?limit=0')).status).toBe(401);
    expect((await call(h, '/v1/profiles?identifier=bogus')).status).toBe(401);
  });
});
