/**
 * GET /v1/profiles/{id}/events: newest first, keyset pages that neither repeat nor skip — across
 * monthly partitions, and across events sharing a timestamp or a millisecond — with the events of
 * merged-in profiles (re-pointed by the merge) and nobody else's.
 */
import { call, seedEvents, seedProfiles, useProfileApi, type EventPage, type SeedEvent, type TestTenant } from './harness';

const h = useProfileApi();
let t: TestTenant;

const own: SeedEvent[] = [
  ...Array.from({ length: 14 }, (_, i) => ({ messageId: `e-${String(i).padStart(2, '0')}`, eventTs: `2026-11-${String(i + 1).padStart(2, '0')}T12:00:00Z`, profileId: 'prf_t' })),
  ...Array.from({ length: 6 }, (_, i) => ({ messageId: `oct-${i}`, eventTs: `2026-10-${String(20 + i).padStart(2, '0')}T23:59:59.999Z`, profileId: 'prf_t', type: 'page', event: null })),
  // One instant, three events: ordered by messageId.
  { messageId: 'tie-a', eventTs: '2026-11-10T10:00:00.123456Z', profileId: 'prf_t' },
  { messageId: 'tie-b', eventTs: '2026-11-10T10:00:00.123456Z', profileId: 'prf_t' },
  { messageId: 'tie-c', eventTs: '2026-11-10T10:00:00.123456Z', profileId: 'prf_t' },
  // The same millisecond, one microsecond later: a millisecond cursor would lose or repeat these.
  { messageId: 'tie-0', eventTs: '2026-11-10T10:00:00.123457Z', profileId: 'prf_t' },
  { messageId: 'tie-z', eventTs: '2026-11-10T10:00:00.123455Z', profileId: 'prf_t' },
];
// Events of a profile merged into prf_t: identity resolution re-pointed them to the survivor.
const absorbed: SeedEvent[] = [
  { messageId: 'old-1', eventTs: '2026-10-01T00:00:00Z', profileId: 'prf_t' },
  { messageId: 'old-2', eventTs: '2026-11-05T06:00:00Z', profileId: 'prf_t' },
];
const others: SeedEvent[] = [{ messageId: 'other-1', eventTs: '2026-11-10T10:00:00.123456Z', profileId: 'prf_someone_else' }];

/** Newest first, then messageId descending: the API's order, computed independently. */
const expected = [...own, ...absorbed]
  .map((e) => ({ id: e.messageId, at: new Date(e.eventTs).getTime() * 1000 + Number(/\.\d{3}(\d{3})Z$/.exec(e.eventTs)?.[1] ?? 0) }))
  .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))
  .map((e) => e.id);

beforeAll(async () => {
  t = await h.tenant();
  await seedProfiles(h.db, t.tenantId, [{ id: 'prf_t' }, { id: 'prf_t_old', mergedInto: 'prf_t' }, { id: 'prf_someone_else' }]);
  await seedEvents(h.db, t.tenantId, [...own, ...absorbed, ...others]);
});

async function allPages(id: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: { status: number; body: EventPage } = await call<EventPage>(h, `/v1/profiles/${id}/events?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`, { key: t.adminKey });
    expect(res.status).toBe(200);
    expect(res.body.events.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.events.map((e) => e.messageId));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor !== null && pages < 100);
  return { ids, pages };
}

it.each([1, 4, 5, 27, 500])('pages of %d cover the timeline in order, each event once', async (limit) => {
  const { ids, pages } = await allPages('prf_t', limit);
  expect(ids).toEqual(expected);
  expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
});

it('answers each event with its fields, timestamps in ISO-8601 UTC', async () => {
  const res = await call<EventPage>(h, '/v1/profiles/prf_t/events?limit=2', { key: t.adminKey });
  expect(res.body.profileId).toBe('prf_t');
  expect(res.body.events[0]).toEqual({
    messageId: 'e-13',
    type: 'track',
    event: 'Order Completed',
    timestamp: '2026-11-14T12:00:00.000Z',
    receivedAt: '2026-11-24T00:00:00.000Z',
    sourceId: 'src_test',
    payload: { messageId: 'e-13', properties: { n: 'e-13' } },
  });
  expect(res.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
  const page = await call<EventPage>(h, '/v1/profiles/prf_t/events?limit=500', { key: t.adminKey });
  expect(page.body.events.find((e) => e.messageId === 'oct-0')).toMatchObject({ type: 'page', event: null, timestamp: '2026-10-20T23:59:59.999Z' });
  expect(page.body.nextCursor).toBeNull();
});

it('defaults to 50 per page', async () => {
  const res = await call<EventPage>(h, '/v1/profiles/prf_t/events', { key: t.adminKey });
  expect(res.body.events).toHaveLength(expected.length); // fewer than 50
  expect(res.body.nextCursor).toBeNull();
});

it("a merged-away id reads the survivor's timeline", async () => {
  const res = await call<EventPage>(h, '/v1/profiles/prf_t_old/events?limit=500', { key: t.adminKey });
  expect(res.body.profileId).toBe('prf_t');
  expect(res.body.events.map((e) => e.messageId)).toEqual(expected);
});

it('an empty timeline is an empty page', async () => {
  await seedProfiles(h.db, t.tenantId, [{ id: 'prf_quiet' }]);
  expect((await call<EventPage>(h, '/v1/profiles/prf_quiet/events', { key: t.adminKey })).body).toEqual({ profileId: 'prf_quiet', events: [], nextCursor: null });
});

it.each(['0', '501', 'abc', '-1', '1.5', ''])('refuses limit=%j', async (limit) => {
  const res = await call(h, `/v1/profiles/prf_t/events?limit=${limit}`, { key: t.adminKey });
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ code: 'invalid_parameter', field: 'limit', reason: 'must be a whole number from 1 to 500' });
});

it.each(['garbage!', 'bm90LWEtY3Vyc29y', Buffer.from('["2026-02-30T10:00:00.000000Z","m"]').toString('base64url')])('refuses cursor=%j', async (cursor) => {
  const res = await call(h, `/v1/profiles/prf_t/events?cursor=${encodeURIComponent(cursor)}`, { key: t.adminKey });
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
});
