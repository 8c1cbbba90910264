/**
 * Do-not-contact lists against a real PostgreSQL, under row-level security: listing marks the
 * active profiles holding an identifier (also one a merge brought), idempotently; removal unmarks
 * only profiles nothing else listed holds; markListedProfiles (identity resolution's call) marks a
 * profile that gains a listed identifier later; and the lock keeps a list change and a chunk
 * writing at the same moment from both missing the profile.
 */
import { createHash } from 'node:crypto';
import { createDb, migrateToLatest, scopeToTenant, type Db } from '@stratum/db';
import { useTestPostgres, type TestDatabase } from '@stratum/testing';
import type { Knex } from 'knex';
import { addDoNotContact, doNotContactErrors, listDoNotContact, lockDoNotContactShared, markListedProfiles, removeDoNotContact, withTenant, type DoNotContactType } from '../src';

const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url, { maxConnections: 10 });
  await migrateToLatest(db);
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
type Id = [DoNotContactType | 'anonymous_id', string];

async function tenant(id: string): Promise<string> {
  await db('tenants').insert({ id, name: id });
  return id;
}

/** A profile holding `ids` (identifiers keep user ids in clear, emails and phones hashed only). */
async function profile(trx: Knex.Transaction, t: string, id: string, ids: Id[], mergedInto: string | null = null): Promise<void> {
  await trx.raw("INSERT INTO profiles (tenant_id, id, status, merged_into, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, now(), now())", [t, id, mergedInto ? 'merged' : 'active', mergedInto]);
  for (const [type, value] of ids) {
    await trx('identifiers').insert({ tenant_id: t, type, value_hash: sha(value), value: type === 'user_id' || type === 'anonymous_id' ? value : null, profile_id: id, origin_profile_id: id, first_seen_at: new Date() });
  }
}

const entry = (type: DoNotContactType, value: string, list = 'legal') => ({ type, valueHash: sha(value), value: type === 'user_id' ? value : null, list, reason: 'asked by letter' });
const ref = (type: DoNotContactType, value: string) => ({ type, valueHash: sha(value) });
const flags = async (t: string) =>
  Object.fromEntries((await withTenant(db, t, (trx) => trx('profiles').orderBy('id').select<Array<{ id: string; do_not_contact: boolean }>>('id', 'do_not_contact'))).map((p) => [p.id, p.do_not_contact]));
const versions = async (t: string) => Object.fromEntries((await withTenant(db, t, (trx) => trx('profiles').select<Array<{ id: string; version: string }>>('id', 'version'))).map((p) => [p.id, Number(p.version)]));

test('listing marks every active profile holding a listed identifier — one a merge brought too — and publishes its snapshot', async () => {
  const t = await tenant('ten_mark');
  await withTenant(db, t, async (trx) => {
    // prf_b merged into prf_a: its email now points to prf_a.
    await profile(trx, t, 'prf_a', [['user_id', 'alice'], ['email', 'alice@old.example'], ['anonymous_id', 'dev-1']]);
    await profile(trx, t, 'prf_b', [], 'prf_a');
    await profile(trx, t, 'prf_c', [['phone', '+61412345678']]);
    await profile(trx, t, 'prf_d', [['email', 'dave@example.com']]);
  });
  const result = await withTenant(db, t, (trx) => addDoNotContact(trx, t, [entry('email', 'alice@old.example'), entry('phone', '+61412345678'), entry('email', 'nobody@example.com')], () => 1_000));
  expect(result).toEqual({ added: 3, alreadyListed: 0, profilesMarked: 2 });
  expect(await flags(t)).toEqual({ prf_a: true, prf_b: false, prf_c: true, prf_d: false });
  expect(await versions(t)).toEqual({ prf_a: 2, prf_b: 1, prf_c: 2, prf_d: 1 });
  const { rows } = await db.raw<{ rows: Array<{ record_key: string; value: { change: string; doNotContact: boolean; version: number; changedAt: number } }> }>(
    "SELECT record_key, value FROM identity_outbox WHERE tenant_id = ? AND topic = 'profiles.changes' ORDER BY id",
    [t],
  );
  expect(rows.map((r) => [r.record_key, r.value.change, r.value.doNotContact, r.value.version, r.value.changedAt])).toEqual([
    [`${t}:prf_a`, 'updated', true, 2, 1_000],
    [`${t}:prf_c`, 'updated', true, 2, 1_000],
  ]);
  // Only hashes are stored for email and phone; user ids in clear, as identifiers keep them.
  const stored = await withTenant(db, t, (trx) => trx('do_not_contact_entries').select('type', 'value', 'list', 'reason', 'removed_at').orderBy('id'));
  expect(stored).toEqual([
    { type: 'email', value: null, list: 'legal', reason: 'asked by letter', removed_at: null },
    { type: 'phone', value: null, list: 'legal', reason: 'asked by letter', removed_at: null },
    { type: 'email', value: null, list: 'legal', reason: 'asked by letter', removed_at: null },
  ]);
});

test('listing again is idempotent: nothing added, nobody marked twice, a value repeated in a batch counted once', async () => {
  const t = await tenant('ten_again');
  await withTenant(db, t, (trx) => profile(trx, t, 'prf_u', [['user_id', 'u-1']]));
  const batch = [entry('user_id', 'u-1'), entry('user_id', 'u-1'), entry('email', 'x@example.com')];
  expect(await withTenant(db, t, (trx) => addDoNotContact(trx, t, batch))).toEqual({ added: 2, alreadyListed: 1, profilesMarked: 1 });
  // Under another list name it is still the same identifier: one listed row per identifier.
  expect(await withTenant(db, t, (trx) => addDoNotContact(trx, t, batch.map((e) => ({ ...e, list: 'complaints' }))))).toEqual({ added: 0, alreadyListed: 3, profilesMarked: 0 });
  expect(await versions(t)).toEqual({ prf_u: 2 });
  const listing = await withTenant(db, t, (trx) => listDoNotContact(trx, t));
  expect(listing).toMatchObject({ total: 2, profilesMarked: 1, lists: [{ list: 'legal', type: 'email', entries: 1 }, { list: 'legal', type: 'user_id', entries: 1 }] });
  expect(listing.newest.map((e) => [e.type, e.value])).toEqual([['email', null], ['user_id', 'u-1']]); // newest first: the batch's last row
});

test('markListedProfiles marks a profile that gains a listed identifier later, and only those', async () => {
  const t = await tenant('ten_later');
  await withTenant(db, t, (trx) => addDoNotContact(trx, t, [entry('email', 'later@example.com')]));
  await withTenant(db, t, async (trx) => {
    await profile(trx, t, 'prf_new', [['anonymous_id', 'dev-9'], ['email', 'later@example.com']]);
    await profile(trx, t, 'prf_other', [['email', 'other@example.com']]);
    await profile(trx, t, 'prf_gone', [], 'prf_new');
  });
  expect(await withTenant(db, t, (trx) => markListedProfiles(trx, t, ['prf_new', 'prf_other', 'prf_gone', 'prf_missing']))).toEqual(['prf_new']);
  expect(await flags(t)).toEqual({ prf_gone: false, prf_new: true, prf_other: false });
  // Already marked: nothing to do; the resolver's snapshot carries the flag, so the version stays.
  expect(await withTenant(db, t, (trx) => markListedProfiles(trx, t, ['prf_new']))).toEqual([]);
  expect(await versions(t)).toEqual({ prf_gone: 1, prf_new: 1, prf_other: 1 });
});

test('removal unmarks a profile only when nothing else it holds is listed; the entry stays as history', async () => {
  const t = await tenant('ten_remove');
  await withTenant(db, t, (trx) => profile(trx, t, 'prf_f', [['email', 'f@example.com'], ['phone', '+14155550132']]));
  await withTenant(db, t, (trx) => addDoNotContact(trx, t, [entry('email', 'f@example.com'), entry('phone', '+14155550132', 'sms-complaints')]));
  // Only entries of the list named: the phone is on another list.
  expect(await withTenant(db, t, (trx) => removeDoNotContact(trx, t, [ref('phone', '+14155550132')], { list: 'legal' }))).toEqual({ removed: 0, notListed: 1, profilesUnmarked: 0 });
  expect(await withTenant(db, t, (trx) => removeDoNotContact(trx, t, [ref('email', 'f@example.com')], { reason: 'consented again' }))).toEqual({ removed: 1, notListed: 0, profilesUnmarked: 0 });
  expect(await flags(t)).toEqual({ prf_f: true });
  expect(await withTenant(db, t, (trx) => removeDoNotContact(trx, t, [ref('phone', '+14155550132'), ref('phone', '+14155550132')]))).toEqual({ removed: 1, notListed: 1, profilesUnmarked: 1 });
  expect(await flags(t)).toEqual({ prf_f: false });
  expect(await versions(t)).toEqual({ prf_f: 3 });
  const history = await withTenant(db, t, (trx) => trx('do_not_contact_entries').orderBy('id').select('type', 'removed_reason', trx.raw('removed_at IS NOT NULL AS removed')));
  expect(history).toEqual([
    { type: 'email', removed_reason: 'consented again', removed: true },
    { type: 'phone', removed_reason: null, removed: true },
  ]);
  // Listed again after removal: a new entry, and the profile is marked again.
  expect(await withTenant(db, t, (trx) => addDoNotContact(trx, t, [entry('email', 'f@example.com')]))).toEqual({ added: 1, alreadyListed: 0, profilesMarked: 1 });
});

test("a tenant sees and changes only its own lists", async () => {
  const a = await tenant('ten_rls_a');
  const b = await tenant('ten_rls_b');
  await withTenant(db, a, (trx) => addDoNotContact(trx, a, [entry('email', 'shared@example.com')]));
  expect(await withTenant(db, b, (trx) => trx('do_not_contact_entries').count<Array<{ count: string }>>('* as count'))).toEqual([{ count: '0' }]);
  expect(await withTenant(db, b, (trx) => removeDoNotContact(trx, b, [ref('email', 'shared@example.com')]))).toEqual({ removed: 0, notListed: 1, profilesUnmarked: 0 });
  await expect(withTenant(db, b, (trx) => trx.raw("INSERT INTO do_not_contact_entries (tenant_id, type, value_hash, list) VALUES (?, 'email', ?, 'x')", [a, sha('y')]))).rejects.toThrow(/row-level security/);
  await expect(withTenant(db, a, (trx) => trx('do_not_contact_entries').delete())).rejects.toThrow(/permission denied/);
});

test('a malformed entry refuses the whole batch', async () => {
  const t = await tenant('ten_invalid');
  const bad = [entry('email', 'ok@example.com'), { ...entry('email', 'x@example.com'), valueHash: 'ABC' }];
  const err = await withTenant(db, t, (trx) => addDoNotContact(trx, t, bad)).catch((e: unknown) => e);
  expect(doNotContactErrors.is(err, 'invalid_entry')).toBe(true);
  expect((err as Error).message).toMatch(/entry 1: valueHash/);
  await expect(withTenant(db, t, (trx) => addDoNotContact(trx, t, [{ ...entry('user_id', 'u'), value: 'u\u0000' }]))).rejects.toThrow(/value is kept for user_id only/);
  await expect(withTenant(db, t, (trx) => addDoNotContact(trx, t, [{ ...entry('email', 'e@example.com'), value: 'e@example.com' }]))).rejects.toThrow(/value is kept for user_id only/);
  await expect(withTenant(db, t, (trx) => addDoNotContact(trx, t, [entry('email', 'e@example.com', ' ')]))).rejects.toThrow(/list must be non-empty/);
  expect(await withTenant(db, t, (trx) => trx('do_not_contact_entries').count<Array<{ count: string }>>('* as count'))).toEqual([{ count: '0' }]);
});

describe('a list change and a chunk writing the same identifier at once', () => {
  /** A transaction scoped to `t` that the test commits itself, as identity resolution's chunk would be. */
  async function openChunk(t: string): Promise<Knex.Transaction> {
    const trx = await db.transaction();
    await scopeToTenant(trx, t);
    return trx;
  }
  const waitingOnAdvisoryLock = async () => {
    const { rows } = await db.raw<{ rows: Array<{ n: number }> }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'");
    return rows[0]!.n;
  };
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
  };

  test('chunk first: the import waits for it, then sees the new identifier and marks the profile', async () => {
    const t = await tenant('ten_race_chunk');
    const chunk = await openChunk(t);
    await lockDoNotContactShared(chunk, t);
    await profile(chunk, t, 'prf_new', [['email', 'race@example.com']]);
    const importing = withTenant(db, t, (trx) => addDoNotContact(trx, t, [entry('email', 'race@example.com')]));
    await until(async () => (await waitingOnAdvisoryLock()) === 1);
    expect(await waitingOnAdvisoryLock()).toBe(1);
    // The chunk cannot see the import's entry (it is not even written yet): it marks nothing.
    expect(await markListedProfiles(chunk, t, ['prf_new'])).toEqual([]);
    await chunk.commit();
    expect(await importing).toEqual({ added: 1, alreadyListed: 0, profilesMarked: 1 });
    expect(await flags(t)).toEqual({ prf_new: true });
  });

  test('import first: the chunk waits for it, then sees the entry and marks its profile', async () => {
    const t = await tenant('ten_race_import');
    const importTrx = await openChunk(t);
    expect(await addDoNotContact(importTrx, t, [entry('phone', '+14155550132')])).toEqual({ added: 1, alreadyListed: 0, profilesMarked: 0 });
    const chunk = await openChunk(t);
    const resolving = (async () => {
      await lockDoNotContactShared(chunk, t);
      await profile(chunk, t, 'prf_new', [['phone', '+14155550132']]);
      const marked = await markListedProfiles(chunk, t, ['prf_new']);
      await chunk.commit();
      return marked;
    })();
    await until(async () => (await waitingOnAdvisoryLock()) === 1);
    expect(await waitingOnAdvisoryLock()).toBe(1);
    await importTrx.commit();
    expect(await resolving).toEqual(['prf_new']);
    expect(await flags(t)).toEqual({ prf_new: true });
  });
});
