/**
 * `stratum import` into the running pipeline, with both ends crashing: the import command is
 * SIGKILLed part-way and run again (it resumes after the last acknowledged row), and
 * identity-resolution is SIGKILLed while it resolves the rows (its person-import stage replays the
 * chunk and skips what it stored). At the end every accepted row is resolved exactly once, the
 * command's report counts matched rows and new profiles, and the profiles match the generator's
 * truth.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateToLatest, withTenant, type Db } from '@stratum/db';
import { pairwiseQuality } from '@stratum/matching';
import { provisionTenant } from '@stratum/tenancy';
import { spawnTsProcess, useTestPostgres } from '@stratum/testing';
import { entitiesOf, repoRoot, startCluster, type Cluster } from '../src/index';

const ROWS = 3_000;
const postgres = useTestPostgres();
const cli = join(repoRoot, 'packages', 'cli', 'src', 'main.ts');
jest.setTimeout(10 * 60_000);

let cluster: Cluster;
let db: Db;
let workDir: string;
let databaseUrl: string;
let dropDatabase: () => Promise<void>;

beforeAll(async () => {
  const database = await postgres.newDatabase();
  databaseUrl = database.url;
  dropDatabase = () => database.drop();
  workDir = mkdtempSync(join(tmpdir(), 'stratum-e2e-import-'));
  db = createDb(database.url, { maxConnections: 2 });
  await migrateToLatest(db);
  cluster = await startCluster({ databaseUrl: database.url, workDir, credentialKeys: `k:${Buffer.alloc(32, 3).toString('base64')}`, sessionTimeoutMs: 6_000 });
});
afterAll(async () => {
  await cluster?.stop();
  await db?.destroy();
  await dropDatabase?.();
});

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

test('an import killed part-way resumes; identity-resolution killed while resolving replays; every row resolved once and reported', async () => {
  const tenant = await provisionTenant(db, { name: 'e2e-import' });
  const file = join(workDir, 'persons.csv');
  const generated = spawnTsProcess(cli, {}, { args: ['import', 'generate', '--rows', String(ROWS), '--seed', '5', '--out', file] });
  expect(await generated.exit).toBe(0);
  const args = ['import', file, '--tenant', tenant.tenantId, '--source', tenant.sourceId, '--brokers', cluster.bootstrap, '--registry-url', cluster.registryUrl, '--json', '--batch-size', '10', '--wait-timeout', '90s'];
  const env = { DATABASE_URL: databaseUrl };
  const count = (sql: string) => withTenant(db, tenant.tenantId, async (trx) => Number((await trx.raw<{ rows: Array<{ n: string }> }>(sql)).rows[0]!.n));
  const producedSoFar = () => count('SELECT coalesce(max(rows_produced), 0) AS n FROM import_runs');

  // The command dies once some batches are acknowledged...
  const first = spawnTsProcess(cli, env, { args });
  await until('a few acknowledged batches', async () => (await producedSoFar()) >= 300);
  first.child.kill('SIGKILL');
  await first.exit;
  const acknowledged = await producedSoFar();
  expect(acknowledged).toBeLessThan(ROWS);

  // ...and is run again; identity-resolution dies while it resolves.
  const second = spawnTsProcess(cli, env, { args });
  await until('rows being resolved', async () => (await count('SELECT count(*) AS n FROM person_records')) >= 200);
  cluster.process('identity-resolution').kill9();
  expect(await second.exit).toBe(0);
  const report = JSON.parse(second.stdout()) as {
    accepted: number;
    rejected: number;
    produced: number;
    resumedAfterRow: number;
    matched: number;
    newProfiles: number;
    resolution: { complete: boolean; resolved: number; matched: number; matchedExact: number; matchedFuzzy: number; newProfiles: number; queuedForReview: number; profiles: number };
  };
  expect(report.resumedAfterRow).toBe(acknowledged);
  expect([report.accepted, report.rejected]).toEqual([ROWS, 0]);
  expect(report.produced).toBe(report.accepted - acknowledged);
  expect(report.resolution).toMatchObject({ complete: true, resolved: report.accepted });
  expect(report.matched + report.newProfiles).toBe(report.accepted);
  expect(report.matched).toBeGreaterThan(0.15 * ROWS);
  expect(cluster.process('identity-resolution').kills).toBe(1);

  // Resolved once each: one person record, one archived event, one record identifier per row.
  expect(await count('SELECT count(*) AS n FROM person_records')).toBe(report.accepted);
  expect(await count("SELECT count(*) AS n FROM profile_events WHERE message_id LIKE 'import:%'")).toBe(report.accepted);
  expect(await count("SELECT count(*) AS n FROM identifiers WHERE type = 'external_id' AND namespace = 'stratum.person_record'")).toBe(report.accepted);
  expect(await count("SELECT count(*) AS n FROM profiles WHERE status = 'active'")).toBe(report.resolution.profiles);

  // The profiles against the generator's truth.
  const truth = await entitiesOf(file);
  const assigned = await withTenant(db, tenant.tenantId, async (trx) =>
    (
      await trx.raw<{ rows: Array<{ row_number: string; profile_id: string }> }>(
        "SELECT r.row_number, i.profile_id FROM person_records r JOIN identifiers i ON i.tenant_id = r.tenant_id AND i.type = 'external_id' AND i.namespace = 'stratum.person_record' AND i.value_hash = r.id",
      )
    ).rows,
  );
  const predicted = truth.map((_, i) => `unresolved-${i}`);
  for (const a of assigned) predicted[Number(a.row_number) - 1] = a.profile_id;
  const { f1 } = pairwiseQuality(predicted, truth);
  process.stdout.write(`import e2e: acknowledged ${acknowledged} before the kill, report ${JSON.stringify({ matched: report.matched, newProfiles: report.newProfiles, resolution: report.resolution })}, F1 ${f1.toFixed(4)}\n`);
  expect(f1).toBeGreaterThan(0.97);

  // Once more: already imported, nothing produced, the same counts.
  const third = spawnTsProcess(cli, env, { args });
  expect(await third.exit).toBe(0);
  expect(JSON.parse(third.stdout())).toMatchObject({ produced: 0, alreadyImported: true, matched: report.matched, newProfiles: report.newProfiles });
});
