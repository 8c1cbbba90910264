/**
 * `stratum dnc import|remove|list` as operators run them, against real PostgreSQL: an import marks
 * the profiles holding a listed email or phone (also one that merged), delivery then judges them
 * do-not-contact (readCurrentProfiles + doNotContactNow, as the delivery stages do), a re-run adds
 * nothing, bad lines are reported by number and never stop the import, removal unmarks.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, withTenant, type Db } from '@stratum/db';
import { doNotContactNow, readCurrentProfiles } from '@stratum/delivery';
import { useTestPostgres, type TestDatabase } from '@stratum/testing';
import { runCli } from './cli-process';

const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;
let env: Record<string, string>;
let acme: string;
let dir: string;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const json = <T>(out: string): T => JSON.parse(out) as T;

interface Report {
  format: string;
  columns: string[];
  ignoredColumns: string[];
  read: number;
  valid: number;
  invalid: number;
  invalidByReason: Record<string, number>;
  invalidLines: Array<{ line: number; column: string | null; reason: string }>;
  added?: number;
  alreadyListed?: number;
  profilesMarked?: number;
  removed?: number;
  notListed?: number;
  profilesUnmarked?: number;
  dryRun: boolean;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function dnc(...args: string[]): Promise<Report> {
  const run = await runCli(['dnc', ...args, '--tenant', 'acme', '--json'], env);
  expect([run.code, run.err]).toEqual([0, '']);
  return json<Report>(run.out);
}

/** A profile with identifiers (hashed as ingest hashes them: emails lower-cased, phones E.164). */
async function profile(id: string, ids: Array<[string, string]>, mergedInto: string | null = null): Promise<void> {
  await withTenant(db, acme, async (trx) => {
    await trx.raw('INSERT INTO profiles (tenant_id, id, status, merged_into, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, now(), now())', [acme, id, mergedInto ? 'merged' : 'active', mergedInto]);
    for (const [type, canonical] of ids) {
      await trx('identifiers').insert({ tenant_id: acme, type, value_hash: sha(canonical), value: type === 'user_id' ? canonical : null, profile_id: id, origin_profile_id: id, first_seen_at: new Date() });
    }
  });
}

/** What delivery decides for an event resolved to `profileId` before it was listed (its snapshot says false). */
const deliverySkips = async (profileId: string) => {
  const current = await withTenant(db, acme, (trx) => readCurrentProfiles(trx, acme, [profileId]));
  return doNotContactNow({ doNotContact: false }, current.get(profileId));
};

beforeAll(async () => {
  database = await postgres.newDatabase();
  env = { DATABASE_URL: database.url };
  expect((await runCli(['db', 'migrate'], env)).code).toBe(0);
  acme = json<{ tenantId: string }>((await runCli(['tenant', 'create', '--name', 'acme', '--json'], env)).out).tenantId;
  db = createDb(database.url, { maxConnections: 2 });
  dir = mkdtempSync(join(tmpdir(), 'stratum-dnc-'));
  // prf_old merged into prf_ann: its email now points to prf_ann; events resolved to prf_old follow the merge.
  await profile('prf_ann', [['user_id', 'ann'], ['email', 'ann@example.com']]);
  await profile('prf_old', [], 'prf_ann');
  await profile('prf_bob', [['phone', '+61412345678']]);
  await profile('prf_cat', [['email', 'cat@example.com'], ['phone', '+61293744000']]);
  await profile('prf_dan', [['email', 'dan@example.com']]);
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test('import: marks the profiles holding a listed value (one that merged too), delivery skips them, bad lines are reported by number', async () => {
  const csv = file(
    'legal.csv',
    ['name,Email,Phone', 'Ann, ANN@Example.com ,', 'Bob,,0412 345 678', 'Cat,cat@example.com,(02) 9374 4000', 'Eve,not-an-email,', 'Fay,,12', ',,', '"Gus,x",gus@example.com,', 'Hal,"open'].join('\r\n'),
  );
  const report = await dnc('import', csv, '--list', 'legal', '--reason', 'letter of 2026-11-20', '--region', 'AU');
  expect(report).toMatchObject({ format: 'csv', columns: ['email', 'phone'], ignoredColumns: ['name'], read: 8, valid: 5, invalid: 4, added: 5, alreadyListed: 0, profilesMarked: 3, dryRun: false });
  expect(report.invalidLines).toEqual([
    { line: 5, column: 'email', reason: 'invalid_email' },
    { line: 6, column: 'phone', reason: 'invalid_phone' },
    { line: 7, column: null, reason: 'no_value' },
    { line: 9, column: null, reason: 'unterminated_quote' },
  ]);
  // Delivery's check, as the adapter and the retry stage make it: the profile as it stands now, through merges.
  expect(await deliverySkips('prf_ann')).toBe(true);
  expect(await deliverySkips('prf_old')).toBe(true);
  expect(await deliverySkips('prf_bob')).toBe(true);
  expect(await deliverySkips('prf_cat')).toBe(true);
  expect(await deliverySkips('prf_dan')).toBe(false);

  // Again: nothing added, nobody marked again.
  expect(await dnc('import', csv, '--list', 'legal', '--region', 'AU')).toMatchObject({ valid: 5, added: 0, alreadyListed: 5, profilesMarked: 0 });
  const human = await runCli(['dnc', 'list', '--tenant', 'acme'], env);
  expect(human.code).toBe(0);
  expect(human.out).toMatch(/^legal {2}email {2}3$/m);
  expect(human.out).toMatch(/^legal {2}phone {2}2$/m);
  expect(human.out).toContain('5 listed; 3 profile(s) marked do-not-contact');
});

test('one value per line with --type, NDJSON, and standard input; a dry run changes nothing', async () => {
  const users = file('users.txt', 'user_id\nu-7\n\nnull\nu-8\n');
  // The header line naming the type is skipped; blank lines are not lines of data.
  expect(await dnc('import', users, '--type', 'user_id', '--dry-run')).toMatchObject({ format: 'csv', read: 3, valid: 2, invalid: 1, invalidByReason: { illegal_value: 1 }, added: 2, dryRun: true });
  expect(await dnc('import', users, '--type', 'user_id', '--dry-run')).toMatchObject({ added: 2 });
  const ndjson = file('list.ndjson', ['{"email":"dan@example.com","phone":null}', '{"user_id":42}', '[1]', '{"email":7}', 'not json'].join('\n'));
  expect(await dnc('import', ndjson)).toMatchObject({
    format: 'ndjson',
    read: 5,
    valid: 2,
    added: 2,
    profilesMarked: 1,
    invalidLines: [
      { line: 3, column: null, reason: 'not_an_object' },
      { line: 4, column: 'email', reason: 'not_text' },
      { line: 5, column: null, reason: 'invalid_json' },
    ],
  });
  expect(await deliverySkips('prf_dan')).toBe(true);
  const listed = await withTenant(db, acme, (trx) => trx('do_not_contact_entries').where({ type: 'user_id' }).pluck<string[]>('value'));
  expect(listed).toEqual(['42']);

  // Standard input, one phone per line.
  const stdin = await runCli(['dnc', 'import', '-', '--tenant', 'acme', '--type', 'phone', '--json'], env, { input: '+61 412 345 678\n0412 345 678\n' });
  expect(stdin.code).toBe(0);
  // Without --region a national number cannot be read, and the report says why.
  expect(json<Report>(stdin.out)).toMatchObject({ format: 'values', read: 2, valid: 1, alreadyListed: 1, invalidLines: [{ line: 2, column: null, reason: 'no_phone_region' }] });
});

test('a large file goes in batches; the report lists the first 20 invalid values and counts the rest', async () => {
  const rows = ['email'];
  for (let i = 0; i < 2_500; i++) rows.push(`bulk-${i}@example.com`);
  for (let i = 0; i < 25; i++) rows.push(`bad-${i}`);
  const report = await dnc('import', file('bulk.csv', rows.join('\n')), '--list', 'bulk');
  expect(report).toMatchObject({ read: 2_525, valid: 2_500, invalid: 25, added: 2_500, invalidByReason: { invalid_email: 25 } });
  expect(report.invalidLines).toHaveLength(20);
  expect(report.invalidLines[0]).toEqual({ line: 2_502, column: 'email', reason: 'invalid_email' });
  // One transaction per 1,000 values: added_at is the transaction's start.
  const { rows: transactions } = await withTenant(db, acme, (trx) => trx.raw<{ rows: Array<{ n: number }> }>("SELECT count(DISTINCT added_at)::int AS n FROM do_not_contact_entries WHERE list = 'bulk'"));
  expect(transactions[0]!.n).toBe(3);
});

test('remove: unmarks a profile only when nothing else it holds is listed', async () => {
  // prf_cat holds a listed email and a listed phone.
  expect(await dnc('remove', file('cat-email.csv', 'email\ncat@example.com\nnobody@example.com\n'), '--reason', 'consented again')).toMatchObject({ removed: 1, notListed: 1, profilesUnmarked: 0 });
  expect(await deliverySkips('prf_cat')).toBe(true);
  // Only from the list named: the phone is on `legal`.
  expect(await dnc('remove', file('cat-phone.csv', 'phone\n+61 2 9374 4000\n'), '--list', 'complaints')).toMatchObject({ removed: 0, notListed: 1 });
  expect(await dnc('remove', file('cat-phone.csv', 'phone\n+61 2 9374 4000\n'), '--list', 'legal', '--dry-run')).toMatchObject({ removed: 1, profilesUnmarked: 1, dryRun: true });
  expect(await deliverySkips('prf_cat')).toBe(true);
  expect(await dnc('remove', file('cat-phone.csv', 'phone\n+61 2 9374 4000\n'), '--list', 'legal')).toMatchObject({ removed: 1, profilesUnmarked: 1 });
  expect(await deliverySkips('prf_cat')).toBe(false);
});

test('refusals: a file whose shape cannot be told, a missing file, an unknown tenant', async () => {
  const plain = file('plain.txt', 'someone@example.com\n');
  const shape = await runCli(['dnc', 'import', plain, '--tenant', 'acme', '--json'], env);
  expect(shape.code).toBe(2);
  expect(json<{ error: { code: string; message: string } }>(shape.out).error).toMatchObject({ code: 'usage', message: expect.stringMatching(/names no identifier column.*pass --type/) });
  expect((await runCli(['dnc', 'import', join(dir, 'missing.csv'), '--tenant', 'acme'], env)).code).toBe(2);
  expect((await runCli(['dnc', 'import', plain, '--tenant', 'acme', '--type', 'fax'], env)).code).toBe(2);
  expect((await runCli(['dnc', 'import', plain, '--tenant', 'nobody', '--type', 'email'], env)).code).toBe(4);
  expect((await runCli(['dnc', 'list', '--tenant', 'acme', '--database-url', 'postgres://postgres@127.0.0.1:1/none'], env)).code).toBe(3);
});
