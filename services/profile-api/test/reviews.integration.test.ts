/**
 * The review queue over HTTP: GET /v1/reviews lists what identity resolution left to a person;
 * POST /v1/reviews/{id}/approve merges the entry's profiles as the resolver would (oldest
 * survives, events and identifiers move, traits rebuilt, do-not-contact kept, a manual link an
 * unmerge can take out again), /reject closes it; both audited and published through the outbox,
 * refused without a change when the entry is unknown, another tenant's or decided already.
 */
import { withTenant } from '@stratum/identity';
import { call, seedEvents, seedIdentifiers, seedProfiles, sha, useProfileApi, type ErrorBody, type ProfileAnswer, type TestTenant } from './harness';

const h = useProfileApi();
let t: TestTenant;
let other: TestTenant;

interface ReviewBody {
  id: string;
  reason: string;
  status: string;
  identifier: { type: string; namespace: string | null; valueHash: string };
  candidateProfileIds: string[];
  currentProfileIds: string[];
  match: { score: number | null; tier: string | null; fields: unknown } | null;
  decidedBy: string | null;
}
interface ReviewPage {
  reviews: ReviewBody[];
  nextCursor: string | null;
}
interface Decision {
  reviewId: string;
  status: string;
  auditId: string;
  profileId: string | null;
  mergedProfileIds: string[];
  decidedAt: string;
}

const NS = 'stratum.person_record';
const recordKey = (id: string) => `external_id:${encodeURIComponent(NS)}:${sha(id)}`;

async function seedReview(tenantId: string, r: { id: string; record: string; candidates: string[]; createdAt: string; reason?: string; score?: number | null }): Promise<void> {
  await withTenant(h.db, tenantId, (trx) =>
    trx('identity_reviews').insert({
      tenant_id: tenantId,
      id: r.id,
      identifier_key: recordKey(r.record),
      candidate_profile_ids: r.candidates,
      message_id: `import-row-${r.id}`,
      reason: r.reason ?? 'fuzzy_match',
      created_at: r.createdAt,
      match_score: r.score === undefined ? 9.5 : r.score,
      match_tier: r.score === null ? null : 'fuzzy',
      match_fields: r.score === null ? null : JSON.stringify({ agreed: ['given_name', 'family_name', 'postcode'], disagreed: ['birth_date'] }),
    }),
  );
}

const openReviews = async (tenant: TestTenant, query = '') => call<ReviewPage>(h, `/v1/reviews${query}`, { key: tenant.adminKey });

beforeAll(async () => {
  t = await h.tenant();
  other = await h.tenant();
  // Ann (rec-1) is the older profile; Anne (rec-2) holds a listed e-mail and absorbed an old profile earlier.
  await seedProfiles(h.db, t.tenantId, [
    { id: 'prf_ann', firstSeenAt: '2026-11-01T00:00:00Z' },
    { id: 'prf_anne', firstSeenAt: '2026-11-05T00:00:00Z', doNotContact: true },
    { id: 'prf_anne_old', firstSeenAt: '2026-11-04T00:00:00Z', mergedInto: 'prf_anne' },
    { id: 'prf_bob', firstSeenAt: '2026-11-01T00:00:00Z' },
    { id: 'prf_rob', firstSeenAt: '2026-11-02T00:00:00Z' },
  ]);
  await seedIdentifiers(h.db, t.tenantId, [
    { type: 'external_id', namespace: NS, canonical: 'rec-1', profileId: 'prf_ann', firstSeenAt: '2026-11-01T00:00:00Z' },
    { type: 'external_id', namespace: NS, canonical: 'rec-2', profileId: 'prf_anne', firstSeenAt: '2026-11-05T00:00:00Z' },
    { type: 'email', canonical: 'anne@example.com', profileId: 'prf_anne', firstSeenAt: '2026-11-06T00:00:00Z' },
    { type: 'external_id', namespace: NS, canonical: 'rec-3', profileId: 'prf_bob' },
    { type: 'external_id', namespace: NS, canonical: 'rec-4', profileId: 'prf_rob' },
  ]);
  // Anne's e-mail, linked to her record by the row that carried both, is on a do-not-contact list (which is why her profile is marked).
  await withTenant(h.db, t.tenantId, async (trx) => {
    const [a, b] = [recordKey('rec-2'), `email::${sha('anne@example.com')}`].sort();
    await trx('identity_edges').insert({ tenant_id: t.tenantId, a_key: a, b_key: b, message_id: 'row-2', rule: 'exact:email' });
    await trx('do_not_contact_entries').insert({ tenant_id: t.tenantId, type: 'email', value_hash: sha('anne@example.com'), list: 'unsubscribed' });
  });
  await seedEvents(h.db, t.tenantId, [
    { messageId: 'row-1', profileId: 'prf_ann', eventTs: '2026-11-02T10:00:00Z', type: 'identify', event: null, identifierKeys: [recordKey('rec-1')], traits: { firstName: 'Ann', city: 'Bundaberg' } },
    { messageId: 'row-2', profileId: 'prf_anne', eventTs: '2026-11-06T10:00:00Z', type: 'identify', event: null, identifierKeys: [recordKey('rec-2')], traits: { firstName: 'Anne', lastName: 'Lee' } },
  ]);
  await seedReview(t.tenantId, { id: 'rv_ann', record: 'rec-1', candidates: ['prf_anne', 'prf_ann'], createdAt: '2026-11-20T10:00:00Z' });
  await seedReview(t.tenantId, { id: 'rv_bob', record: 'rec-3', candidates: ['prf_rob', 'prf_bob'], createdAt: '2026-11-21T10:00:00Z' });
  await seedReview(t.tenantId, { id: 'rv_guard', record: 'rec-4', candidates: ['prf_rob', 'prf_bob'], createdAt: '2026-11-19T10:00:00Z', reason: 'merge_limit', score: null });
  await seedProfiles(h.db, other.tenantId, [{ id: 'prf_x' }]);
  await seedReview(other.tenantId, { id: 'rv_other', record: 'rec-9', candidates: ['prf_x'], createdAt: '2026-11-22T10:00:00Z' });
});

it('lists open entries newest first with their evidence and the profiles they are about now, in pages, per tenant', async () => {
  const all = await openReviews(t);
  expect(all.status).toBe(200);
  expect(all.body.reviews.map((r) => r.id)).toEqual(['rv_bob', 'rv_ann', 'rv_guard']);
  expect(all.body.reviews[1]).toMatchObject({
    reason: 'fuzzy_match',
    status: 'open',
    identifier: { type: 'external_id', namespace: NS, valueHash: sha('rec-1') },
    candidateProfileIds: ['prf_anne', 'prf_ann'],
    currentProfileIds: ['prf_ann', 'prf_anne'],
    match: { score: 9.5, tier: 'fuzzy', fields: { agreed: ['given_name', 'family_name', 'postcode'], disagreed: ['birth_date'] } },
    decidedBy: null,
  });
  expect(all.body.reviews[2]!.match).toBeNull();

  const fuzzy = await openReviews(t, '?reason=fuzzy_match&limit=1');
  expect(fuzzy.body.reviews.map((r) => r.id)).toEqual(['rv_bob']);
  const next = await openReviews(t, `?reason=fuzzy_match&limit=1&cursor=${fuzzy.body.nextCursor}`);
  expect([next.body.reviews.map((r) => r.id), next.body.nextCursor]).toEqual([['rv_ann'], null]);

  // The selection `stratum identity review approve-all` takes: a score range (scoreless entries left out), settled or not.
  const ids = async (query: string) => (await openReviews(t, query)).body.reviews.map((r) => r.id);
  expect(await ids('?minScore=9.5')).toEqual(['rv_bob', 'rv_ann']);
  expect(await ids('?minScore=9.6')).toEqual([]);
  expect(await ids('?maxScore=10')).toEqual(['rv_bob', 'rv_ann']);
  expect(await ids('?settled=false')).toEqual(['rv_bob', 'rv_ann', 'rv_guard']);
  expect(await ids('?settled=true')).toEqual([]);

  expect((await openReviews(other)).body.reviews.map((r) => r.id)).toEqual(['rv_other']);
  for (const [query, field] of [
    ['?status=pending', 'status'],
    ['?reason=Fuzzy Match', 'reason'],
    ['?minScore=high', 'minScore'],
    ['?maxScore=1e400', 'maxScore'],
    ['?settled=yes', 'settled'],
    ['?limit=0', 'limit'],
  ] as const) {
    const bad = await call<ErrorBody>(h, `/v1/reviews${query}`, { key: t.adminKey });
    expect([bad.status, bad.body.code, bad.body.field]).toEqual([400, 'invalid_parameter', field]);
  }
});

it('refuses unknown entries, other tenants\' entries and bad bodies, changing nothing', async () => {
  const unknown = await call<ErrorBody>(h, '/v1/reviews/rv_nope/approve', { key: t.adminKey, method: 'POST' });
  expect([unknown.status, unknown.body.code]).toEqual([404, 'review_not_found']);
  const elsewhere = await call<ErrorBody>(h, '/v1/reviews/rv_other/reject', { key: t.adminKey, method: 'POST' });
  expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'review_not_found']);
  for (const [body, field] of [
    [[], 'body'],
    [{ reason: 7 }, 'reason'],
    [{ reason: 'x', merge: true }, 'merge'],
  ] as const) {
    const bad = await call<ErrorBody>(h, '/v1/reviews/rv_ann/approve', { key: t.adminKey, method: 'POST', body });
    expect([bad.status, bad.body.code, bad.body.field]).toEqual([400, 'invalid_body', field]);
  }
  expect((await openReviews(t)).body.reviews).toHaveLength(3);
});

it('approve merges the pair into the older profile: events, identifiers, traits, do-not-contact, an audited manual link, the outbox', async () => {
  const res = await call<Decision>(h, '/v1/reviews/rv_ann/approve', { key: t.adminKey, method: 'POST', body: { reason: 'same person, birth date mistyped' } });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ reviewId: 'rv_ann', status: 'approved', profileId: 'prf_ann', mergedProfileIds: ['prf_anne'] });

  const anne = await call<ProfileAnswer>(h, '/v1/profiles/prf_anne', { key: t.adminKey });
  expect(anne.body).toMatchObject({ id: 'prf_ann', mergedInto: 'prf_ann', doNotContact: true, traits: { city: 'Bundaberg', lastName: 'Lee' } });
  expect(anne.body.identifiers.map((i) => `${i.type}:${i.value}`).sort()).toEqual(['email:null', 'external_id:rec-1', 'external_id:rec-2']);
  const events = await call<{ events: Array<{ messageId: string }> }>(h, '/v1/profiles/prf_ann/events', { key: t.adminKey });
  expect(events.body.events.map((e) => e.messageId)).toEqual(['row-2', 'row-1']);
  const history = await call<{ merges: Array<{ action: string; rule: string; reason: string; actor: string; otherProfileIds: string[] }> }>(h, '/v1/profiles/prf_ann/merges', { key: t.adminKey });
  expect(history.body.merges[0]).toMatchObject({ action: 'merge', rule: 'manual', reason: 'same person, birth date mistyped', otherProfileIds: ['prf_anne'], actor: expect.stringMatching(/^profile-api request /) });

  const state = await withTenant(h.db, t.tenantId, async (trx) => ({
    old: await trx('profiles').where({ id: 'prf_anne_old' }).first('merged_into'),
    edges: await trx('identity_edges').whereNull('removed_at').orderBy('id').select('a_key', 'b_key', 'rule'),
    audit: await trx('identity_audit').where({ id: res.body.auditId }).first('match_score', 'match_tier'),
  }));
  // The app role may only append to the outbox; the relay reads it as the owner.
  const outbox = await h.db('identity_outbox').where({ tenant_id: t.tenantId }).orderBy('id').select('topic', h.db.raw("value->>'change' AS change"), h.db.raw('value IS NULL AS tombstone'));
  expect(state.old.merged_into).toBe('prf_ann');
  const sorted = (x: string, y: string, rule: string) => (x < y ? { a_key: x, b_key: y, rule } : { a_key: y, b_key: x, rule });
  // The seeded e-mail link, and the one the approval added.
  expect(state.edges).toEqual([sorted(recordKey('rec-2'), `email::${sha('anne@example.com')}`, 'exact:email'), sorted(recordKey('rec-1'), recordKey('rec-2'), 'manual:review')]);
  expect(state.audit).toEqual({ match_score: 9.5, match_tier: 'fuzzy' });
  expect(outbox.map((o: { topic: string; change: string | null; tombstone: boolean }) => [o.topic, o.tombstone ? 'tombstone' : o.change])).toEqual([
    ['identity.audit', null],
    ['profiles.changes', 'tombstone'],
    ['profiles.changes', 'merged'],
  ]);

  const again = await call<ErrorBody>(h, '/v1/reviews/rv_ann/reject', { key: t.adminKey, method: 'POST' });
  expect([again.status, again.body.code]).toEqual([409, 'review_decided']);
  const approved = await openReviews(t, '?status=approved');
  expect(approved.body.reviews).toEqual([expect.objectContaining({ id: 'rv_ann', status: 'approved', currentProfileIds: ['prf_ann'], decidedBy: expect.stringMatching(/^profile-api request /) })]);
});

it('an approved merge can be split again by unmerging its manual link', async () => {
  const res = await call<{ split: Array<{ profileId: string; restored: boolean }> }>(h, '/v1/profiles/prf_ann/unmerge', {
    key: t.adminKey,
    method: 'POST',
    body: { edge: [`external_id:${NS}:rec-1`, `external_id:${NS}:rec-2`], reason: 'approved by mistake' },
  });
  expect(res.status).toBe(200);
  expect(res.body.split).toEqual([expect.objectContaining({ profileId: 'prf_anne', restored: true })]);
});

it('reject closes the entry as different people and changes no profile', async () => {
  const res = await call<Decision>(h, '/v1/reviews/rv_bob/reject', { key: t.adminKey, method: 'POST', body: { reason: 'father and son' } });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ reviewId: 'rv_bob', status: 'rejected', profileId: null, mergedProfileIds: [] });
  const rob = await call<ProfileAnswer>(h, '/v1/profiles/prf_rob', { key: t.adminKey });
  expect(rob.body).toMatchObject({ id: 'prf_rob', mergedInto: null });
  const history = await call<{ merges: Array<{ action: string; reason: string }> }>(h, '/v1/profiles/prf_bob/merges', { key: t.adminKey });
  expect(history.body.merges[0]).toMatchObject({ action: 'reject', reason: 'father and son' });
  expect((await openReviews(t)).body.reviews.map((r) => r.id)).toEqual(['rv_guard']);
  expect((await openReviews(t, '?status=rejected')).body.reviews.map((r) => r.id)).toEqual(['rv_bob']);
});

it('approving an entry whose profiles are one already moves nothing', async () => {
  // The anomaly guard's entry names bob and rob; a later event joined them meanwhile.
  await withTenant(h.db, t.tenantId, (trx) => trx('profiles').where({ id: 'prf_rob' }).update({ status: 'merged', merged_into: 'prf_bob' }));
  await withTenant(h.db, t.tenantId, (trx) => trx('identifiers').where({ profile_id: 'prf_rob' }).update({ profile_id: 'prf_bob' }));
  const res = await call<Decision>(h, '/v1/reviews/rv_guard/approve', { key: t.adminKey, method: 'POST' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'approved', profileId: 'prf_bob', mergedProfileIds: [] });
});

it('POST /v1/reviews/approve and /reject decide the open entries a selection names, each as one decision, at most limit per request', async () => {
  const bulk = await h.tenant();
  await seedProfiles(h.db, bulk.tenantId, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id, i) => ({ id: `prf_${id}`, firstSeenAt: `2026-11-0${i + 1}T00:00:00Z` })));
  await seedIdentifiers(h.db, bulk.tenantId, [1, 2, 3, 4, 5, 6].map((i) => ({ type: 'external_id', namespace: NS, canonical: `rec-1${i}`, profileId: `prf_p${i}` })));
  await seedReview(bulk.tenantId, { id: 'rv_a', record: 'rec-11', candidates: ['prf_p1', 'prf_p2'], createdAt: '2026-11-20T10:00:00Z', score: 13 });
  await seedReview(bulk.tenantId, { id: 'rv_b', record: 'rec-13', candidates: ['prf_p3', 'prf_p4'], createdAt: '2026-11-21T10:00:00Z', score: 8 });
  await seedReview(bulk.tenantId, { id: 'rv_c', record: 'rec-15', candidates: ['prf_p5', 'prf_p6'], createdAt: '2026-11-22T10:00:00Z', score: 13, reason: 'merge_limit' });
  const post = <B>(action: string, body: unknown) => call<B>(h, `/v1/reviews/${action}`, { key: bulk.adminKey, method: 'POST', body });

  for (const [body, field] of [
    [{}, 'select'],
    [{ select: {} }, 'select'],
    [{ select: { minScore: 'high' } }, 'select.minScore'],
    [{ select: { reason: 'fuzzy_match', status: 'open' } }, 'select.status'],
    [{ select: { reason: 'fuzzy_match' }, limit: 5000 }, 'limit'],
    [{ select: { reason: 'fuzzy_match' }, merge: true }, 'merge'],
  ] as const) {
    const bad = await post<ErrorBody>('approve', body);
    expect([bad.status, bad.body.code, bad.body.field]).toEqual([400, 'invalid_body', field]);
  }
  const dry = await post<Record<string, unknown>>('approve', { select: { reason: 'fuzzy_match', minScore: 12 }, dryRun: true });
  expect(dry.body).toEqual({ action: 'approve', dryRun: true, selected: 1, decided: 0, profilesMerged: 0, decidedMeanwhile: 0, reviewIds: ['rv_a'] });

  const approved = await post<Record<string, unknown>>('approve', { select: { reason: 'fuzzy_match', minScore: 12 }, reason: 'checked a sample' });
  expect(approved.body).toMatchObject({ selected: 1, decided: 1, profilesMerged: 1, reviewIds: ['rv_a'] });
  const rejected = await post<Record<string, unknown>>('reject', { select: { maxScore: 10 }, limit: 1 });
  expect(rejected.body).toMatchObject({ action: 'reject', selected: 1, decided: 1, profilesMerged: 0, reviewIds: ['rv_b'] });
  expect((await post<Record<string, unknown>>('approve', { select: { reason: 'fuzzy_match' } })).body).toMatchObject({ selected: 0, decided: 0 });

  // Each as `POST /v1/reviews/{id}/approve` would have: merged, audited with the note; the anomaly-guard entry left open.
  const p2 = await call<ProfileAnswer>(h, '/v1/profiles/prf_p2', { key: bulk.adminKey });
  expect(p2.body).toMatchObject({ id: 'prf_p1', mergedInto: 'prf_p1' });
  const history = await call<{ merges: Array<{ action: string; reason: string }> }>(h, '/v1/profiles/prf_p1/merges', { key: bulk.adminKey });
  expect(history.body.merges[0]).toMatchObject({ action: 'merge', reason: 'checked a sample' });
  expect((await openReviews(bulk)).body.reviews.map((r) => r.id)).toEqual(['rv_c']);
});
