/**
 * `stratum import` as operators run it, against real PostgreSQL and the embedded Kafka and
 * registry: a generated CSV produced to persons.import with hygiene applied, rejects with their
 * line numbers, a re-run that produces nothing, a resumed run that continues after the last
 * acknowledged row, NDJSON and standard input.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, withTenant, type Db } from '@stratum/db';
import { collectRecords, uniqueTopics, useTestPostgres, useTestStack, type TestDatabase } from '@stratum/testing';
import { runCli } from './cli-process';

const postgres = useTestPostgres();
const stack = useTestStack();
let database: TestDatabase;
let db: Db;
let env: Record<string, string>;
let acme: string;
let crm: string;
const dir = mkdtempSync(join(tmpdir(), 'stratum-import-test-'));

const json = <T>(out: string): T => JSON.parse(out) as T;

interface Report {
  importId: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  rejectReasons: Record<string, number>;
  warnings: Record<string, number>;
  phoneE164Rate: number | null;
  produced: number;
  resumedAfterRow: number;
  rejectFile: string | null;
  alreadyImported?: boolean;
  mapping: Record<string, string>;
}

async function topicFor(): Promise<string> {
  const topics = await uniqueTopics(stack, ['persons.import']);
  return topics.name('persons.import');
}

async function recordsOn(topic: string): Promise<number> {
  const offsets = await stack.admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, p) => n + Number(p.high), 0);
}

// No identity-resolution runs here: the command returns once produced (the e2e suite covers waiting for resolution).
const importArgs = (file: string, topic: string, ...extra: string[]) => ['import', file, '--tenant', 'acme', '--source', 'crm', '--region', 'AU', '--topic', topic, '--no-progress', '--no-wait', ...extra];

beforeAll(async () => {
  database = await postgres.newDatabase();
  env = { DATABASE_URL: database.url, KAFKA_BROKERS: stack.brokers.join(','), SCHEMA_REGISTRY_URL: stack.registryUrl };
  expect((await runCli(['db', 'migrate'], env)).code).toBe(0);
  acme = json<{ tenantId: string }>((await runCli(['tenant', 'create', '--name', 'acme', '--json'], env)).out).tenantId;
  crm = json<{ sourceId: string }>((await runCli(['source', 'create', '--tenant', 'acme', '--name', 'crm', '--json'], env)).out).sourceId;
  db = createDb(database.url, { maxConnections: 2 });
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

test('a generated CSV: every accepted row on persons.import, keyed by tenant, with hygiene applied; a re-run produces nothing', async () => {
  const file = join(dir, 'people.csv');
  expect((await runCli(['import', 'generate', '--rows', '200', '--seed', '7', '--out', file], env)).code).toBe(0);
  // Two rows of our own: one cleaned as documented, one with nothing that identifies a person.
  writeFileSync(file, `${readFileSync(file, 'utf8')}rec-x,  dr ADA ,o'brien ,12,5/12 pridham st,,NORTH  sydney,2060,NSW,12/03/1985,123-456-7,ADA@Example.COM,0412 345 678,ent-x\n,,,3,king street,,sydney,2000,nsw,,,,not a phone,ent-y\n`);
  const topic = await topicFor();
  const run = await runCli(importArgs(file, topic), env);
  expect([run.code, run.err]).toEqual([0, '']);
  const report = json<Report>(run.out);
  expect(report).toMatchObject({ rowsRead: 202, rejected: 1, rejectReasons: { no_identifying_field: 1 }, resumedAfterRow: 0 });
  expect(report.accepted).toBe(201);
  expect(report.produced).toBe(201);
  expect(report.importId).toMatch(/^[0-9a-f]{64}$/);
  expect(report.mapping).toMatchObject({ recordId: 'rec_id', givenName: 'given_name', familyName: 'surname', nationalId: 'soc_sec_id', dateOfBirth: 'date_of_birth', locality: 'suburb' });
  expect(report.phoneE164Rate).toBeGreaterThan(0.9);
  expect(report.warnings.phone_not_a_number).toBe(1);

  const records = await collectRecords(stack, { topic, schema: 'persons.import', subject: `${topic}-value`, count: 201 });
  expect(records.every((r) => r.key === acme)).toBe(true);
  expect(new Set(records.map((r) => r.value!.rowNumber)).size).toBe(201);
  const ada = records.find((r) => r.value!.recordId === 'rec-x')!.value!;
  expect(ada).toEqual({
    tenantId: acme,
    sourceId: crm,
    importId: report.importId,
    rowNumber: 201,
    recordId: 'rec-x',
    receivedAt: expect.any(Number),
    givenName: 'Ada',
    middleName: null,
    familyName: "O'Brien",
    email: 'ada@example.com',
    phone: '+61412345678',
    dateOfBirth: '1985-03-12',
    nationalId: '1234567',
    userId: null,
    streetNumber: '12',
    addressLine1: 'pridham street',
    addressLine2: 'unit 5',
    locality: 'north sydney',
    postcode: '2060',
    region: 'nsw',
    country: 'AU',
    attributes: '{"entity_id":"ent-x"}',
  });

  // The reject file: the line number in the file (header is line 1), the reason, the line as read.
  const rejects = readFileSync(report.rejectFile!, 'utf8').trim().split('\n');
  expect(rejects).toEqual(['line,reason,original', '203,no_identifying_field,",,,3,king street,,sydney,2000,nsw,,,,not a phone,ent-y"']);

  const again = await runCli(importArgs(file, topic, '--json'), env);
  expect(again.code).toBe(0);
  expect(again.err).toContain('was already imported; nothing produced');
  expect(json<Report>(again.out)).toMatchObject({ importId: report.importId, accepted: 201, produced: 0, alreadyImported: true });
  expect(await recordsOn(topic)).toBe(201);

  // Waiting for identity resolution when nothing resolves: exit 5 after the stall timeout, with the counts so far.
  const waiting = await runCli(importArgs(file, topic, '--wait', '--wait-timeout', '1s'), env);
  expect(waiting.code).toBe(5);
  expect(waiting.err).toContain('are not resolved yet and none was for 1 s; is identity-resolution running?');
  expect(json<Report>(waiting.out)).toMatchObject({ produced: 0, matched: 0, newProfiles: 0, resolution: { complete: false, resolved: 0, profiles: 0 } });
}, 60_000);

test('a crashed run resumes after the last acknowledged row', async () => {
  const file = join(dir, 'resume.csv');
  expect((await runCli(['import', 'generate', '--rows', '50', '--seed', '11', '--out', file], env)).code).toBe(0);
  const topic = await topicFor();
  const dry = json<Report>((await runCli(importArgs(file, topic, '--dry-run'), env)).out);
  expect(dry.produced).toBe(0);
  expect(await recordsOn(topic)).toBe(0);
  // What a run that crashed after its first acknowledged batch of 20 rows leaves behind.
  await withTenant(db, acme, (trx) =>
    trx('import_runs').insert({ tenant_id: acme, import_id: dry.importId, source_id: crm, file_name: file, file_bytes: readFileSync(file).length, rows_produced: 20 }),
  );
  const run = await runCli(importArgs(file, topic, '--batch-size', '7'), env);
  expect([run.code, run.err]).toEqual([0, '']);
  const report = json<Report>(run.out);
  expect(report).toMatchObject({ rowsRead: 50, accepted: 50, resumedAfterRow: 20, produced: 30 });
  const records = await collectRecords(stack, { topic, schema: 'persons.import', subject: `${topic}-value`, count: 30 });
  expect(records.map((r) => r.value!.rowNumber)).toEqual(Array.from({ length: 30 }, (_, i) => 21 + i));
  const row = await withTenant(db, acme, (trx) => trx('import_runs').where({ import_id: dry.importId }).first('rows_produced', 'runs', 'finished_at'));
  expect(row).toMatchObject({ rows_produced: '50', runs: 2, finished_at: expect.any(Date) });

  const forced = json<Report>((await runCli(importArgs(file, topic, '--force'), env)).out);
  expect(forced).toMatchObject({ produced: 50, resumedAfterRow: 0 });
  expect(await recordsOn(topic)).toBe(80);
}, 60_000);

test('NDJSON with --map, and a malformed line rejected with its line number', async () => {
  const file = join(dir, 'people.ndjson');
  writeFileSync(
    file,
    [
      JSON.stringify({ id: 'c-1', first: 'Grace', last: 'Hopper', mobile: '+61 412 000 111', born: '1906-12-09', ssn: '7654321', tier: 'gold' }),
      '{"id": "c-2", "first": ',
      '',
      JSON.stringify({ id: 'c-3', first: 'Alan', last: 'Turing', mobile: '12', born: '31/02/1912', extra: { a: 1 } }),
    ].join('\n'),
  );
  const topic = await topicFor();
  const run = await runCli(importArgs(file, topic, '--map', 'born=dateOfBirth', '--map', 'ssn=nationalId', '--map', 'id=recordId', '--reject-file', join(dir, 'nd-rejects.csv')), env);
  expect([run.code, run.err]).toEqual([0, '']);
  const report = json<Report>(run.out);
  expect(report).toMatchObject({ rowsRead: 3, accepted: 2, rejected: 1, rejectReasons: { malformed_json: 1 }, phoneE164Rate: 0.5 });
  expect(report.warnings).toMatchObject({ date_day_out_of_range: 1 });
  expect(readFileSync(join(dir, 'nd-rejects.csv'), 'utf8')).toBe('line,reason,original\n2,malformed_json,"{""id"": ""c-2"", ""first"": "\n');
  const records = await collectRecords(stack, { topic, schema: 'persons.import', subject: `${topic}-value`, count: 2 });
  expect(records.map((r) => r.value)).toEqual([
    expect.objectContaining({ rowNumber: 1, recordId: 'c-1', givenName: 'Grace', familyName: 'Hopper', phone: '+61412000111', dateOfBirth: '1906-12-09', nationalId: '7654321', attributes: '{"tier":"gold"}' }),
    expect.objectContaining({ rowNumber: 3, recordId: 'c-3', givenName: 'Alan', phone: null, dateOfBirth: null, attributes: '{"extra":"{\\"a\\":1}"}' }),
  ]);
}, 60_000);

test('standard input is spooled and hashed like a file; no database is a usage error', async () => {
  const topic = await topicFor();
  const csv = 'first_name,last_name,email\nLin,Chen,lin@example.com\n';
  const piped = await runCli(importArgs('-', topic), env, { input: csv });
  expect(piped.code).toBe(0);
  expect(json<Report>(piped.out)).toMatchObject({ rowsRead: 1, accepted: 1, produced: 1, rejectFile: null });

  const noDb = await runCli(importArgs(join(dir, 'people.csv'), topic, '--json'), { ...env, DATABASE_URL: '' });
  expect(noDb.code).toBe(2);
  expect(json<{ error: { code: string } }>(noDb.out).error.code).toBe('usage');
}, 60_000);
