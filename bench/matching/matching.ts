/**
 * `pnpm bench matching`: the matcher's comparisons on a synthetic person file (`stratum import
 * generate`), the library's batch path (`linkRecords`: blocking, comparisons, clustering) on one
 * core, with and without the bound that rules strangers out before their full comparison
 * (`mayReach`), in one run and on the same records, so the ratio holds on a noisy machine. Both
 * must reach the same decisions and clusters; the bench fails if they do not.
 *
 * BENCH_ROWS (default 200,000), BENCH_DUP_RATE (0.3), BENCH_SEED (1); BENCH_FREQUENCIES=1 scores
 * with term frequencies over the file, as the import stage does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@stratum/e2e';
import { PERSON_MATCH_MODEL, cleanPerson, linkRecords, scorerOf, toMatchRecord, valueFrequencies, type LinkResult } from '@stratum/matching';
import { generatedPersons } from '@stratum/matching/datasets';
import { spawnTsProcess } from '@stratum/testing';

const rows = Number(process.env.BENCH_ROWS ?? 200_000);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const workDir = mkdtempSync(join(tmpdir(), 'stratum-bench-matching-'));
const file = join(workDir, 'persons.csv');
const args = ['import', 'generate', '--rows', String(rows), '--dup-rate', process.env.BENCH_DUP_RATE ?? '0.3', '--seed', process.env.BENCH_SEED ?? '1', '--out', file];
const generate = spawnTsProcess(join(repoRoot, 'packages', 'cli', 'src', 'main.ts'), {}, { args });
if ((await generate.exit) !== 0) throw new Error(`generate failed: ${generate.stderr()}`);
const dataset = generatedPersons(file);
rmSync(workDir, { recursive: true, force: true });
const records = dataset.records.map((r) => toMatchRecord(cleanPerson(r, dataset.source).person));
const scorer = process.env.BENCH_FREQUENCIES === '1' ? scorerOf(PERSON_MATCH_MODEL, { frequencies: valueFrequencies(records) }) : scorerOf(PERSON_MATCH_MODEL);

function timed(bound: boolean): { result: LinkResult; seconds: number } {
  const started = process.hrtime.bigint();
  const result = linkRecords(records, scorer, { bound });
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

// Full first: whichever runs second has a warmed-up JIT, and that should not flatter the bound.
const full = timed(false);
const bounded = timed(true);
const same =
  full.result.decisions.length === bounded.result.decisions.length &&
  full.result.decisions.every((d, i) => d.a === bounded.result.decisions[i]!.a && d.b === bounded.result.decisions[i]!.b && d.score === bounded.result.decisions[i]!.score) &&
  full.result.clusterOf.every((c, i) => c === bounded.result.clusterOf[i]);
const pairs = full.result.stats.pairsCompared;
for (const [name, run] of [['every pair in full', full], ['with the bound', bounded]] as const) {
  process.stdout.write(`${name}: ${run.seconds.toFixed(1)} s, ${((run.seconds * 1e6) / pairs).toFixed(2)} µs per blocked pair (${fmt(pairs)} pairs, ${fmt(run.result.decisions.length)} above review)\n`);
}
process.stdout.write(`${fmt(records.length)} records${process.env.BENCH_FREQUENCIES === '1' ? ', term frequencies' : ''}: the bound is ${(full.seconds / bounded.seconds).toFixed(2)} × as fast, same decisions and clusters: ${same ? 'yes' : 'NO'}\n`);
if (!same) process.exitCode = 1;
