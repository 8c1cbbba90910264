/**
 * POST /v1/profiles/{id}/unmerge over HTTP: a profile built by a merge (two identifiers, one link
 * between them, one of them from a profile merged in) is split back, the merged-away id restored;
 * identifiers are named as in the look-up and hashed server-side; bad bodies, unknown links and
 * other tenants' ids are refused without changing anything.
 */
import { withTenant } from '@stratum/identity';
import { call, seedEvents, seedIdentifiers, seedProfiles, sha, useProfileApi, type ErrorBody, type TestTenant } from './harness';

const h = useProfileApi();
let t: TestTenant;
let other: TestTenant;

interface UnmergeAnswer {
  auditId: string;
  kept: { profileId: string; restored: boolean; identifiers: string[]; events: number };
  split: Array<{ profileId: string; restored: boolean; identifiers: string[]; events: number }>;
  removedEdges: number;
  occurredAt: string;
}

const userKey = `user_id::${sha('bob')}`;
const anonKey = `anonymous_id::${sha('ipad-7')}`;

beforeAll(async () => {
  t = await h.tenant();
  other = await h.tenant();
  // As identity resolution leaves it after a login merged bob's profile (prf_user) into the iPad's (prf_ipad).
  await seedProfiles(h.db, t.tenantId, [{ id: 'prf_ipad' }, { id: 'prf_user', mergedInto: 'prf_ipad' }]);
  await seedIdentifiers(h.db, t.tenantId, [
    { type: 'anonymous_id', canonical: 'ipad-7', profileId: 'prf_ipad' },
    { type: 'user_id', canonical: 'bob', profileId: 'prf_ipad' },
  ]);
  await withTenant(h.db, t.tenantId, async (trx) => {
    await trx('identifiers').where({ type: 'user_id' }).update({ origin_profile_id: 'prf_user' });
    const [a, b] = [userKey, anonKey].sort();
    await trx('identity_edges').insert({ tenant_id: t.tenantId, a_key: a, b_key: b, message_id: 'login-1', rule: 'exact:user_id' });
  });
  await seedEvents(h.db, t.tenantId, [
    { messageId: 'browse-1', profileId: 'prf_ipad', eventTs: '2026-11-10T10:00:00Z', identifierKeys: [anonKey] },
    { messageId: 'login-1', profileId: 'prf_ipad', eventTs: '2026-11-10T11:00:00Z', identifierKeys: [userKey, anonKey] },
  ]);
});

it('refuses bad bodies with the field at fault, and changes nothing', async () => {
  for (const [body, field] of [
    [{}, 'body'],
    [{ identifier: 'user_id:bob', edge: ['user_id:bob', 'anonymous_id:x'] }, 'body'],
    [{ identifier: 'nonsense' }, 'identifier'],
    [{ edge: ['user_id:bob'] }, 'edge'],
    [{ edge: ['user_id:bob', 'user_id:bob'] }, 'edge'],
    [{ identifier: 'user_id:bob', actor: 'me' }, 'actor'],
  ] as const) {
    const res = await call<ErrorBody>(h, '/v1/profiles/prf_ipad/unmerge', { key: t.adminKey, method: 'POST', body });
    expect([res.status, res.body.code, res.body.field]).toEqual([400, 'invalid_body', field]);
  }
  const missing = await call<ErrorBody>(h, '/v1/profiles/prf_ipad/unmerge', { key: t.adminKey, method: 'POST', body: { edge: ['user_id:bob', 'email:ann@x.com'] } });
  expect([missing.status, missing.body.code]).toEqual([409, 'edge_not_found']);
  const elsewhere = await call<ErrorBody>(h, '/v1/profiles/prf_ipad/unmerge', { key: other.adminKey, method: 'POST', body: { identifier: 'user_id:bob' } });
  expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'profile_not_found']);
  const rows = await withTenant(h.db, t.tenantId, (trx) => trx('identity_edges').whereNull('removed_at').count<{ count: string }[]>('* as count'));
  expect(rows[0]!.count).toBe('1');
});

it('splits the link: the iPad keeps its id and browsing, bob gets his old profile back with the login', async () => {
  const res = await call<UnmergeAnswer>(h, '/v1/profiles/prf_ipad/unmerge', { key: t.adminKey, method: 'POST', body: { edge: ['user_id:bob', 'anonymous_id:ipad-7'], reason: 'shared iPad' } });
  expect(res.status).toBe(200);
  expect(res.body.kept).toMatchObject({ profileId: 'prf_ipad', restored: false, identifiers: [anonKey], events: 1 });
  expect(res.body.split).toEqual([expect.objectContaining({ profileId: 'prf_user', restored: true, identifiers: [userKey], events: 1 })]);
  const bob = await call<{ id: string; status: string }>(h, `/v1/profiles?identifier=${encodeURIComponent('user_id:bob')}`, { key: t.adminKey });
  expect(bob.body).toMatchObject({ profiles: [expect.objectContaining({ id: 'prf_user', status: 'active' })] });
  const history = await call<{ merges: Array<{ action: string; reason: string; actor: string }> }>(h, '/v1/profiles/prf_ipad/merges', { key: t.adminKey });
  expect(history.body.merges[0]).toMatchObject({ action: 'unmerge', reason: 'shared iPad' });
  // The link is gone: asking again finds nothing to split.
  const again = await call<ErrorBody>(h, '/v1/profiles/prf_ipad/unmerge', { key: t.adminKey, method: 'POST', body: { edge: ['user_id:bob', 'anonymous_id:ipad-7'] } });
  expect([again.status, again.body.code]).toEqual([409, 'edge_not_found']);
});
