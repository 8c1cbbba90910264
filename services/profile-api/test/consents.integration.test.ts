/**
 * PUT /v1/profiles/{id}/consents: appended, time-versioned rows (source api); the current state
 * per purpose is the latest effectiveAt — a later change wins, an earlier-dated one is history.
 */
import { withTenant } from '@stratum/identity';
import { call, seedProfiles, useProfileApi, type ConsentList, type ProfileAnswer, type TestTenant } from './harness';

const h = useProfileApi();
let t: TestTenant;

beforeAll(async () => {
  t = await h.tenant();
  await seedProfiles(h.db, t.tenantId, [{ id: 'prf_c', version: 3 }, { id: 'prf_c_old', mergedInto: 'prf_c' }, { id: 'prf_d' }]);
});

const put = (id: string, consents: unknown[]) => call<ConsentList>(h, `/v1/profiles/${id}/consents`, { key: t.adminKey, method: 'PUT', body: { consents } });
const history = (profileId: string) =>
  withTenant(h.db, t.tenantId, (trx) =>
    trx('consents').where({ tenant_id: t.tenantId, profile_id: profileId }).orderBy('id').select<Array<{ purpose: string; status: string; source: string; evidence: unknown }>>('purpose', 'status', 'source', 'evidence'),
  );

it('records a change (source api, effective now) and answers the current consents', async () => {
  const before = Date.now();
  const res = await put('prf_c', [{ purpose: 'marketing', status: 'granted', evidence: { form: 'signup-v2', ip: '203.0.113.9' } }]);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    profileId: 'prf_c',
    consents: [{ purpose: 'marketing', status: 'granted', granted: true, effectiveAt: expect.any(String), recordedAt: expect.any(String), source: 'api' }],
  });
  const effective = Date.parse(res.body.consents[0]!.effectiveAt);
  expect(effective).toBeGreaterThanOrEqual(before - 1000);
  expect(effective).toBeLessThanOrEqual(Date.now() + 1000);
  expect(await history('prf_c')).toEqual([{ purpose: 'marketing', status: 'granted', source: 'api', evidence: { form: 'signup-v2', ip: '203.0.113.9' } }]);
});

it('a later change wins; one dated earlier is kept as history and does not override', async () => {
  expect((await put('prf_c', [{ purpose: 'marketing', status: 'withdrawn' }])).body.consents).toEqual([expect.objectContaining({ purpose: 'marketing', status: 'withdrawn', granted: false })]);
  const backdated = await put('prf_c', [{ purpose: 'marketing', status: 'granted', effectiveAt: '2026-01-01T00:00:00Z' }]);
  expect(backdated.body.consents).toEqual([expect.objectContaining({ purpose: 'marketing', status: 'withdrawn' })]);
  expect((await history('prf_c')).map((r) => r.status)).toEqual(['granted', 'withdrawn', 'granted']);
});

it('orders by effectiveAt, not by when the change arrived', async () => {
  await put('prf_d', [{ purpose: 'email', status: 'granted', effectiveAt: '2026-11-10T00:00:00Z' }]);
  const earlier = await put('prf_d', [{ purpose: 'email', status: 'denied', effectiveAt: '2026-11-05T00:00:00+01:00' }]);
  expect(earlier.body.consents).toEqual([expect.objectContaining({ purpose: 'email', status: 'granted', effectiveAt: '2026-11-10T00:00:00.000Z' })]);
  const later = await put('prf_d', [{ purpose: 'email', status: 'denied', effectiveAt: '2026-11-12T00:00:00Z' }]);
  expect(later.body.consents).toEqual([expect.objectContaining({ purpose: 'email', status: 'denied', effectiveAt: '2026-11-12T00:00:00.000Z' })]);
});

it('several purposes in one request, all or nothing; GET shows them; each accepted request is one new version, published through the outbox', async () => {
  const before = (await call<ProfileAnswer>(h, '/v1/profiles/prf_d', { key: t.adminKey })).body.version;
  const res = await put('prf_d', [
    { purpose: 'sms', status: 'granted' },
    { purpose: 'analytics', status: 'denied', effectiveAt: '2026-11-01T00:00:00Z' },
  ]);
  expect(res.body.consents.map((c) => `${c.purpose}=${c.status}`)).toEqual(['analytics=denied', 'email=denied', 'sms=granted']);
  const refused = await put('prf_d', [{ purpose: 'sms', status: 'withdrawn' }, { purpose: 'sms', status: 'maybe' }]);
  expect(refused.status).toBe(400);
  const profile = await call<ProfileAnswer>(h, '/v1/profiles/prf_d', { key: t.adminKey });
  expect(profile.body.consents.map((c) => `${c.purpose}=${c.status}`)).toEqual(['analytics=denied', 'email=denied', 'sms=granted']);
  expect(profile.body.version).toBe(before + 1);
  // The outbox holds, in order, the request's consent changes and then the profile's new snapshot (the relay publishes them).
  const { rows } = await h.db.raw<{ rows: Array<{ topic: string; record_key: string; value: { purpose?: string; status?: string; version?: number; consents?: unknown[] } }> }>(
    'SELECT topic, record_key, value FROM identity_outbox WHERE tenant_id = ? ORDER BY id DESC LIMIT 3',
    [t.tenantId],
  );
  const [snapshot, analytics, sms] = rows;
  expect([sms!.value, analytics!.value]).toEqual([expect.objectContaining({ purpose: 'sms', status: 'granted', source: 'api' }), expect.objectContaining({ purpose: 'analytics', status: 'denied' })]);
  expect(snapshot).toMatchObject({ topic: 'profiles.changes', record_key: `${t.tenantId}:prf_d`, value: { version: before + 1, change: 'updated' } });
  expect(snapshot!.value.consents).toHaveLength(3);
});

it('a merged-away id records on the survivor', async () => {
  const res = await put('prf_c_old', [{ purpose: 'ads', status: 'denied' }]);
  expect(res.body.profileId).toBe('prf_c');
  expect(await history('prf_c_old')).toEqual([]);
  expect((await history('prf_c')).map((r) => r.purpose)).toContain('ads');
});

describe('refusals', () => {
  const send = (body: string, headers: Record<string, string> = {}) => call(h, '/v1/profiles/prf_c/consents', { key: t.adminKey, method: 'PUT', rawBody: body, headers });

  it.each([
    [{ consents: [{ purpose: 'marketing', status: 'yes' }] }, 'consents[0].status', 'must be one of granted, denied, withdrawn'],
    [{ consents: [{ purpose: 'marketing', status: 'granted', effective_at: '2026-11-01T00:00:00Z' }] }, 'consents[0].effective_at', 'is not a field of a consent (purpose, status, effectiveAt, evidence)'],
    [{ consents: [{ purpose: 'marketing', status: 'granted', effectiveAt: '2026-11-01' }] }, 'consents[0].effectiveAt', 'must be an ISO-8601 date-time with an offset, e.g. 2026-11-24T09:30:00Z'],
    [{ consents: [] }, 'consents', 'must be a non-empty array'],
    [{ consent: [] }, 'consent', 'is not a field of the body (only consents)'],
  ])('%j → 400 invalid_body at %s', async (body, field, reason) => {
    const res = await send(JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalid_body', message: `${field} ${reason}`, field, reason, requestId: expect.any(String) });
  });

  it('not JSON → 400 invalid_json; empty → 400 invalid_json', async () => {
    expect((await send('{"consents": [')).body).toMatchObject({ code: 'invalid_json' });
    expect((await send('')).body).toMatchObject({ code: 'invalid_json' });
  });

  it('another content type → 415; a body over 64 KiB → 413 with the numbers', async () => {
    const form = await send('consents=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({ code: 'unsupported_media_type' });
    const big = await send(JSON.stringify({ consents: [{ purpose: 'a', status: 'granted', evidence: { x: 'y'.repeat(70_000) } }] }));
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'body_too_large', limit: 65536 });
  });

  it('nothing was recorded by refused requests', async () => {
    expect((await history('prf_c')).map((r) => r.purpose).filter((p) => p === 'a')).toEqual([]);
  });
});
