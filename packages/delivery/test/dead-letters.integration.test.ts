/** The dead-letter index against real PostgreSQL: filters, paging, replay marks, purge that sticks, and tenant isolation. */
import { randomUUID } from 'node:crypto';
import { createDb, migrateToLatest, withTenant, type Db } from '@stratum/db';
import { exampleRecords, type DeadLetter } from '@stratum/schemas';
import { uniqueIdentifier, useTestPostgres, type TestDatabase } from '@stratum/testing';
import {
  countDeadLetters,
  deadLettersForReplay,
  forgetPurgedBefore,
  indexDeadLetters,
  listDeadLetters,
  markReplayed,
  purgeDeadLetters,
  type DeadLetterFilter,
  type DeadLetterPage,
  type DeadLetterPageRequest,
} from '../src';

const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url, { maxConnections: 4 });
  await migrateToLatest(db);
}, 60_000);
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

async function newTenant(): Promise<string> {
  const id = uniqueIdentifier('ten');
  await db('tenants').insert({ id, name: id });
  return id;
}

const T0 = Date.UTC(2026, 10, 24, 12);
const MINUTE = 60_000;

/** A dead letter of `tenantId`, `minutes` after T0. */
function letter(tenantId: string, minutes: number, over: Partial<DeadLetter> = {}): DeadLetter {
  const base = exampleRecords['delivery.dlq'];
  const messageId = over.messageId ?? `msg-${randomUUID()}`;
  return {
    ...base,
    dlqId: randomUUID(),
    tenantId,
    messageId,
    deadLetteredAt: T0 + minutes * MINUTE,
    event: { ...base.event, tenantId, messageId },
    ...over,
  };
}

const index = (tenantId: string, letters: DeadLetter[]) => withTenant(db, tenantId, (trx) => indexDeadLetters(trx, tenantId, letters));
const list = (tenantId: string, filter: DeadLetterFilter & DeadLetterPageRequest = {}) => withTenant(db, tenantId, (trx) => listDeadLetters(trx, tenantId, filter));
const ids = (rows: ReadonlyArray<{ dlqId: string }>) => rows.map((r) => r.dlqId);

type Reader = (tenantId: string, filter: DeadLetterFilter & DeadLetterPageRequest) => Promise<DeadLetterPage<{ dlqId: string }>>;

/** Every page of a listing, following nextCursor. */
async function allPages(tenantId: string, filter: DeadLetterFilter & { limit: number }, read: Reader = list): Promise<string[][]> {
  const pages: string[][] = [];
  let after: string | undefined;
  do {
    const page = await read(tenantId, { ...filter, ...(after === undefined ? {} : { after }) });
    pages.push(ids(page.deadLetters));
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
  return pages;
}

describe('indexing and listing', () => {
  let tenant: string;
  let letters: DeadLetter[];
  beforeAll(async () => {
    tenant = await newTenant();
    letters = [
      letter(tenant, 0, { destinationId: 'dst_meta', reason: 'attempts_exhausted' }),
      letter(tenant, 1, { destinationId: 'dst_meta', reason: 'permanent_error', lastError: { code: 'invalid_payload', message: 'bad pixel', httpStatus: 400, retryAfterMs: null, retryable: false } }),
      letter(tenant, 2, { destinationId: 'dst_hook', reason: 'attempts_exhausted', lastError: null }),
      letter(tenant, 3, { destinationId: 'dst_hook', reason: 'max_age_exceeded' }),
      letter(tenant, 4, { destinationId: 'dst_meta', reason: 'attempts_exhausted' }),
    ];
  });

  test('indexing counts new rows only; a re-read batch (and a duplicate inside one) inserts nothing twice', async () => {
    expect(await index(tenant, letters)).toBe(5);
    expect(await index(tenant, [...letters, letters[0]!])).toBe(0);
  });

  test('the stored summary reads like the record; newest first', async () => {
    const page = await list(tenant);
    expect(ids(page.deadLetters)).toEqual(ids([...letters].reverse()));
    expect(page.nextCursor).toBeNull();
    const l = letters[1]!;
    expect(page.deadLetters.find((d) => d.dlqId === l.dlqId)).toEqual({
      dlqId: l.dlqId,
      destinationId: 'dst_meta',
      destinationType: l.destinationType,
      messageId: l.messageId,
      profileId: l.profileId,
      attempts: l.attempts,
      firstAttemptAt: l.firstAttemptAt,
      lastAttemptAt: l.lastAttemptAt,
      deadLetteredAt: l.deadLetteredAt,
      reason: 'permanent_error',
      lastError: l.lastError,
      originTopic: l.originTopic,
      replayCount: 0,
      lastReplayedAt: null,
    });
  });

  test('filters: destination, reason, time window (since inclusive, until exclusive), ids', async () => {
    const [a, b, c, d, e] = letters.map((l) => l.dlqId);
    expect(ids((await list(tenant, { destinationId: 'dst_hook' })).deadLetters)).toEqual([d, c]);
    expect(ids((await list(tenant, { reason: 'attempts_exhausted' })).deadLetters)).toEqual([e, c, a]);
    expect(ids((await list(tenant, { destinationId: 'dst_meta', reason: 'attempts_exhausted' })).deadLetters)).toEqual([e, a]);
    expect(ids((await list(tenant, { since: new Date(T0 + MINUTE), until: new Date(T0 + 3 * MINUTE) })).deadLetters)).toEqual([c, b]);
    expect(ids((await list(tenant, { dlqIds: [a!, d!, randomUUID()] })).deadLetters)).toEqual([d, a]);
    expect((await list(tenant, { destinationId: 'dst_nowhere' })).deadLetters).toEqual([]);
  });

  test('counts per destination and reason, largest first', async () => {
    expect(await withTenant(db, tenant, (trx) => countDeadLetters(trx, tenant))).toEqual([
      { destinationId: 'dst_meta', reason: 'attempts_exhausted', count: 2 },
      { destinationId: 'dst_hook', reason: 'attempts_exhausted', count: 1 },
      { destinationId: 'dst_hook', reason: 'max_age_exceeded', count: 1 },
      { destinationId: 'dst_meta', reason: 'permanent_error', count: 1 },
    ]);
    expect(await withTenant(db, tenant, (trx) => countDeadLetters(trx, tenant, { destinationId: 'dst_hook', reason: 'max_age_exceeded' }))).toEqual([{ destinationId: 'dst_hook', reason: 'max_age_exceeded', count: 1 }]);
  });

  test('refuses malformed filters and cursors by code', async () => {
    await expect(list(tenant, { dlqIds: ['not-a-uuid'] })).rejects.toMatchObject({ code: 'invalid_filter' });
    await expect(list(tenant, { limit: 1001 })).rejects.toMatchObject({ code: 'invalid_filter' });
    await expect(list(tenant, { since: new Date(T0), until: new Date(T0) })).rejects.toMatchObject({ code: 'invalid_filter' });
    await expect(list(tenant, { after: 'bm9wZQ' })).rejects.toMatchObject({ code: 'invalid_cursor' });
  });
});

describe('cursor paging', () => {
  let tenant: string;
  let byTime: string[];
  beforeAll(async () => {
    tenant = await newTenant();
    // Seven rows share one timestamp: the page boundary must fall between them without losing or repeating any.
    const letters = [...Array.from({ length: 7 }, () => letter(tenant, 10)), letter(tenant, 9), letter(tenant, 11), letter(tenant, 12)];
    await index(tenant, letters);
    byTime = [...letters].sort((x, y) => x.deadLetteredAt - y.deadLetteredAt || (x.dlqId < y.dlqId ? -1 : 1)).map((l) => l.dlqId);
  });

  test('newest-first pages cover every row once, in order', async () => {
    const pages = await allPages(tenant, { limit: 3 });
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(pages.flat()).toEqual([...byTime].reverse());
  });

  test('replay pages go oldest first and carry the stored event', async () => {
    const read = (t: string, f: DeadLetterFilter & DeadLetterPageRequest) => withTenant(db, t, (trx) => deadLettersForReplay(trx, t, f));
    const pages = await allPages(tenant, { limit: 4 }, read);
    expect(pages.flat()).toEqual(byTime);
    const first = (await read(tenant, { limit: 1 })).deadLetters[0]!;
    expect(first).toMatchObject({ tenantId: tenant, dlqId: byTime[0], event: { ...exampleRecords['delivery.dlq'].event, tenantId: tenant, messageId: first.messageId } });
  });

  test('an exact multiple of the page size ends with nextCursor null, not an empty page', async () => {
    expect((await allPages(tenant, { limit: 5 })).map((p) => p.length)).toEqual([5, 5]);
  });
});

describe('replay marks and purge', () => {
  test('markReplayed bumps replay_count and sets last_replayed_at', async () => {
    const tenant = await newTenant();
    const [a, b] = [letter(tenant, 0), letter(tenant, 1)];
    await index(tenant, [a, b]);
    const before = Date.now();
    expect(await withTenant(db, tenant, (trx) => markReplayed(trx, tenant, [a.dlqId]))).toBe(1);
    expect(await withTenant(db, tenant, (trx) => markReplayed(trx, tenant, [a.dlqId, b.dlqId]))).toBe(2);
    const rows = (await list(tenant)).deadLetters;
    expect(rows.map((r) => [r.dlqId, r.replayCount])).toEqual([
      [b.dlqId, 1],
      [a.dlqId, 2],
    ]);
    expect(rows[1]!.lastReplayedAt).toBeGreaterThanOrEqual(before - 1000);
  });

  test('purge hides rows from listing, counts and replay; indexing the same dlqId again does not bring them back', async () => {
    const tenant = await newTenant();
    const letters = [letter(tenant, 0, { destinationId: 'dst_a' }), letter(tenant, 1, { destinationId: 'dst_a' }), letter(tenant, 2, { destinationId: 'dst_b' })];
    await index(tenant, letters);
    expect(await withTenant(db, tenant, (trx) => purgeDeadLetters(trx, tenant, { destinationId: 'dst_a' }))).toBe(2);
    expect(await withTenant(db, tenant, (trx) => purgeDeadLetters(trx, tenant, { destinationId: 'dst_a' }))).toBe(0);
    expect(ids((await list(tenant)).deadLetters)).toEqual([letters[2]!.dlqId]);
    expect(await withTenant(db, tenant, (trx) => countDeadLetters(trx, tenant))).toEqual([{ destinationId: 'dst_b', reason: letters[2]!.reason, count: 1 }]);
    expect(ids((await withTenant(db, tenant, (trx) => deadLettersForReplay(trx, tenant, { destinationId: 'dst_a' }))).deadLetters)).toEqual([]);

    expect(await index(tenant, letters)).toBe(0);
    expect(ids((await list(tenant)).deadLetters)).toEqual([letters[2]!.dlqId]);

    expect(await withTenant(db, tenant, (trx) => purgeDeadLetters(trx, tenant, { dlqIds: [letters[2]!.dlqId] }))).toBe(1);
    expect((await list(tenant)).deadLetters).toEqual([]);
  });

  test('forgetPurgedBefore deletes only purged rows older than the cut-off', async () => {
    const tenant = await newTenant();
    const [oldPurged, newPurged, oldKept] = [letter(tenant, 0), letter(tenant, 60), letter(tenant, 1)];
    await index(tenant, [oldPurged, newPurged, oldKept]);
    await withTenant(db, tenant, (trx) => purgeDeadLetters(trx, tenant, { dlqIds: [oldPurged.dlqId, newPurged.dlqId] }));
    expect(await withTenant(db, tenant, (trx) => forgetPurgedBefore(trx, tenant, new Date(T0 + 30 * MINUTE)))).toBe(1);
    const left = await db('delivery_dead_letters').where('tenant_id', tenant).orderBy('dead_lettered_at').pluck('dlq_id');
    expect(left).toEqual([oldKept.dlqId, newPurged.dlqId]);
    // The forgotten row may be indexed again: by then the topic no longer holds it.
    expect(await index(tenant, [newPurged])).toBe(0);
  });
});

describe('tenant isolation', () => {
  let a: string;
  let b: string;
  let bLetter: DeadLetter;
  beforeAll(async () => {
    [a, b] = [await newTenant(), await newTenant()];
    bLetter = letter(b, 0);
    await index(a, [letter(a, 0)]);
    await index(b, [bLetter]);
  });

  test("a tenant's transaction sees none of another tenant's rows, even asking for them by id and tenant", async () => {
    const raw = await withTenant(db, a, (trx) => trx.raw<{ rows: Array<{ tenant_id: string }> }>('SELECT tenant_id FROM delivery_dead_letters'));
    expect(raw.rows.map((r) => r.tenant_id)).toEqual([a]);
    expect((await withTenant(db, a, (trx) => listDeadLetters(trx, b, { dlqIds: [bLetter.dlqId] }))).deadLetters).toEqual([]);
    expect(await withTenant(db, a, (trx) => purgeDeadLetters(trx, b, {}))).toBe(0);
    expect(await withTenant(db, a, (trx) => markReplayed(trx, b, [bLetter.dlqId]))).toBe(0);
    expect(ids((await list(b)).deadLetters)).toEqual([bLetter.dlqId]);
  });

  test("a record of another tenant is refused before anything is written; RLS refuses the row even when asked to", async () => {
    await expect(index(a, [letter(a, 5), letter(b, 5)])).rejects.toMatchObject({ code: 'invalid_dead_letter' });
    expect((await list(a)).deadLetters).toHaveLength(1);
    const sneaky = letter(b, 6);
    await expect(withTenant(db, a, (trx) => indexDeadLetters(trx, b, [sneaky]))).rejects.toThrow(/row-level security/);
    expect(await index(a, [{ ...letter(a, 7), dlqId: 'dlq-7' }]).catch((err: unknown) => (err as { code?: string }).code)).toBe('invalid_dead_letter');
  });
});
