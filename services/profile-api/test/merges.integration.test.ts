/**
 * GET /v1/profiles/{id}/merges: the audit rows naming the profile or a profile merged into it,
 * as subject or among the others, newest first, in keyset pages; nobody else's.
 */
import { call, seedAudit, seedProfiles, sha, useProfileApi, type MergePage, type SeedAudit, type TestTenant } from './harness';

const h = useProfileApi();
let t: TestTenant;

const emailKey = `email::${sha('ann@x.com')}`;
const externalKey = `external_id:${encodeURIComponent('sales:force')}:${sha('0031')}`;
const family: SeedAudit[] = [
  { id: 'a1', action: 'link', profileId: 'prf_m_a', identifiers: [emailKey], occurredAt: '2026-11-01T00:00:00Z', messageId: 'msg-1' },
  { id: 'a2', action: 'link', profileId: 'prf_m', identifiers: [externalKey], occurredAt: '2026-11-02T00:00:00Z', messageId: 'msg-2' },
  { id: 'a3', action: 'merge', profileId: 'prf_m', otherProfileIds: ['prf_m_a'], identifiers: [emailKey], occurredAt: '2026-11-03T00:00:00Z', messageId: 'msg-3', rule: 'exact', reason: 'shared email' },
  { id: 'a4', action: 'link', profileId: 'prf_m_b', occurredAt: '2026-11-04T00:00:00Z' },
  { id: 'a5', action: 'merge', profileId: 'prf_m', otherProfileIds: ['prf_m_b'], occurredAt: '2026-11-05T00:00:00Z' },
  // One instant, two rows: ordered by audit id, descending.
  { id: 'a8', action: 'unmerge', profileId: 'prf_m', otherProfileIds: ['prf_split'], occurredAt: '2026-11-06T00:00:00.000001Z', rule: 'manual', actor: 'ops@acme', reason: 'wrong merge' },
  { id: 'a9', action: 'review', profileId: 'prf_m', occurredAt: '2026-11-06T00:00:00.000001Z' },
];
const unrelated: SeedAudit[] = [
  { id: 'u1', action: 'link', profileId: 'prf_other', occurredAt: '2026-11-04T00:00:00Z' },
  { id: 'u2', action: 'merge', profileId: 'prf_other', otherProfileIds: ['prf_other_b'], occurredAt: '2026-11-07T00:00:00Z' },
];
const expectedOrder = ['a9', 'a8', 'a5', 'a4', 'a3', 'a2', 'a1'];

beforeAll(async () => {
  t = await h.tenant();
  await seedProfiles(h.db, t.tenantId, [{ id: 'prf_m' }, { id: 'prf_m_a', mergedInto: 'prf_m' }, { id: 'prf_m_b', mergedInto: 'prf_m' }, { id: 'prf_other' }, { id: 'prf_other_b', mergedInto: 'prf_other' }]);
  await seedAudit(h.db, t.tenantId, [...family, ...unrelated]);
});

it('lists the history of the profile and of the profiles merged into it, newest first', async () => {
  const res = await call<MergePage>(h, '/v1/profiles/prf_m/merges', { key: t.adminKey });
  expect(res.status).toBe(200);
  expect(res.body.profileId).toBe('prf_m');
  expect(res.body.merges.map((m) => m.auditId)).toEqual(expectedOrder);
  expect(res.body.nextCursor).toBeNull();
  expect(res.body.merges.find((m) => m.auditId === 'a3')).toEqual({
    auditId: 'a3',
    action: 'merge',
    profileId: 'prf_m',
    otherProfileIds: ['prf_m_a'],
    identifiers: [{ type: 'email', namespace: null, valueHash: sha('ann@x.com') }],
    messageId: 'msg-3',
    sourceId: 'src_test',
    rule: 'exact',
    reason: 'shared email',
    actor: null,
    occurredAt: '2026-11-03T00:00:00.000Z',
  });
  expect(res.body.merges.find((m) => m.auditId === 'a2')!.identifiers).toEqual([{ type: 'external_id', namespace: 'sales:force', valueHash: sha('0031') }]);
  expect(res.body.merges.find((m) => m.auditId === 'a8')).toMatchObject({ action: 'unmerge', actor: 'ops@acme', reason: 'wrong merge', messageId: null, sourceId: null });
});

it('pages without repeating or skipping, ties included', async () => {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: MergePage } = await call<MergePage>(h, `/v1/profiles/prf_m/merges?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`, { key: t.adminKey });
    ids.push(...res.body.merges.map((m) => m.auditId));
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  expect(ids).toEqual(expectedOrder);
});

it('a merged-away id reads the same history, of its survivor', async () => {
  const res = await call<MergePage>(h, '/v1/profiles/prf_m_a/merges', { key: t.adminKey });
  expect(res.body.profileId).toBe('prf_m');
  expect(res.body.merges.map((m) => m.auditId)).toEqual(expectedOrder);
});

it('an absorbed profile of another person brings only that history', async () => {
  const res = await call<MergePage>(h, '/v1/profiles/prf_other/merges', { key: t.adminKey });
  expect(res.body.merges.map((m) => m.auditId)).toEqual(['u2', 'u1']);
});

it('refuses a bad limit or cursor', async () => {
  expect((await call(h, '/v1/profiles/prf_m/merges?limit=1000', { key: t.adminKey })).body).toMatchObject({ code: 'invalid_parameter', field: 'limit' });
  expect((await call(h, '/v1/profiles/prf_m/merges?cursor=x', { key: t.adminKey })).body).toMatchObject({ code: 'invalid_cursor' });
});
