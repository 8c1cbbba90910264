/**
 * `pnpm bench identity`: resolved events/s through the identity resolver (lock, plan, write the
 * golden records, read back what the outputs need: one tenant-scoped transaction per chunk of 500)
 * over a warm graph with a realistic mix (≈70% known person, 20% new, 10% link or merge), with 1
 * and 2 writers, against a raw batched UNNEST insert of the same rows in the same run; then profile
 * look-up latency by identifier. No Kafka and no broker: the resolver is driven directly. It runs
 * in services/identity-resolution/test/bench-driver.ts as a child process (bench code may not
 * import a service), which creates and drops its own PostgreSQL database (BENCH_DATABASE_URL).
 *
 * Targets (the issue): ≥ 40,000 golden-record upserts (resolved events)/s with 2 writers;
 * ≥ 0.7 × the raw UNNEST baseline; profile look-up p99 ≤ 10 ms.
 *
 * Environment, passed to the driver (see its header): BENCH_PEOPLE (200000), BENCH_EVENTS (40000
 * per run), BENCH_ROUNDS (3), BENCH_WRITERS ("1,2"), BENCH_CHUNK (500), BENCH_LOOKUPS (2000),
 * BENCH_DATABASE_URL; for analysis only: BENCH_EXPLAIN_FILE, BENCH_SKIP_BASELINE=1,
 * BENCH_WHATIF_INDEXES=1 (two identity_audit indexes no migration has, to measure them), and
 * BENCH_DRIVER_NODE_ARGS adds node flags to the driver (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../broker-process';

const TARGET = { rate: 40_000, ratio: 0.7, lookupP99Ms: 10, writers: 2 };

interface Statement {
  label: string;
  n: number;
  ms: number;
}
interface Cpu {
  driver: number;
  postgres: number;
}
interface ResolverRun {
  writers: number;
  events: number;
  seconds: number;
  rate: number;
  chunks: number;
  chunkMs: { p50: number; p99: number; mean: number };
  profileRows: number;
  mergedAway: number;
  outcomes: Record<'known' | 'new' | 'link' | 'merge' | 'review' | 'reject', number>;
  kinds: Record<string, number>;
  rows: { newIdentifiers: number; edges: number; traitRows: number; audits: number };
  rollbacks: number;
  errors: Record<string, number>;
  cpu: Cpu;
  statements: Statement[];
  chunkMsTotal: number;
}
interface BaselineRun {
  writers: number;
  seconds: number;
  rate: number;
  rows: { archive: number; profiles: number; identifiers: number };
  rowRate: number;
  cpu: Cpu;
  statements: Statement[];
  rollbacks: number;
}
interface Latency {
  count: number;
  found: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}
interface Result {
  people: number;
  prefill: { mode: string; seconds: number; counts: Record<string, number> };
  eventsPerRun: number;
  chunk: number;
  rounds: number;
  whatIfIndexes: boolean;
  runs: Array<{ round: number; resolver: ResolverRun; baseline: BaselineRun | null }>;
  lookup: { row: Latency; view: Latency };
  finalGraph: Record<string, number>;
}

const driver = spawn(process.execPath, [...(process.env.BENCH_DRIVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', join(repoRoot, 'services/identity-resolution/test/bench-driver.ts')], {
  cwd: join(repoRoot, 'services/identity-resolution'),
  env: process.env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
// Ctrl-C reaches the driver too (same process group); wait for it to drop its database.
process.on('SIGINT', () => undefined);
let out = '';
driver.stdout!.on('data', (d: Buffer) => (out += d.toString()));
const code = await new Promise<number | null>((resolve) => driver.once('close', resolve));
const line = /^RESULT (.*)$/m.exec(out);
if (!line) throw new Error(`the bench driver exited ${code} without a result: ${out}`);
const result = JSON.parse(line[1]!) as Result;

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => `${Math.round(x * 100)}%`;
const c = result.prefill.counts;
const write = (s: string) => process.stdout.write(s);

write(
  `\none tenant; warm graph bulk-loaded (${result.prefill.mode}) in ${result.prefill.seconds.toFixed(0)} s: ${fmt(result.people)} people → ` +
    `${fmt(c.profiles ?? 0)} profiles (${fmt(c.mergedProfiles ?? 0)} merged earlier), ${fmt(c.identifiers ?? 0)} identifiers, ${fmt(c.edges ?? 0)} edges, ${fmt(c.traits ?? 0)} trait rows, ` +
    `${fmt(c.events ?? 0)} archived events, ${fmt(c.audits ?? 0)} audit rows; VACUUM ANALYZE. Per run a fresh stream of ${fmt(result.eventsPerRun)} events, ` +
    `split between the writers by events.unique key, chunks of ${result.chunk}, one resolver and pool per writer; ${result.rounds} round(s) alternating 1 and 2 writers. ` +
    `Baseline: the same rows (archive, one upsert per profile row, new identifiers) by INSERT … SELECT FROM unnest(…), one transaction per chunk, into plain tables ` +
    `with the same keys and indexes (a copy of the prefill), same writers. Graph at the end: ${Object.entries(result.finalGraph)
      .map(([k, n]) => `${k} ${fmt(n)}`)
      .join(', ')}\n\n`,
);

if (result.whatIfIndexes) write('**what-if run (BENCH_WHATIF_INDEXES=1): identity_audit has two indexes no migration creates — not the shipped schema**\n\n');
write('| writers | round | resolved events/s | golden records written/s | baseline (UNNEST) rows/s: events (all rows) | resolver ÷ baseline | chunk ms p50 / p99 | chunks redone | CPU driver / PostgreSQL |\n|---|---|---|---|---|---|---|---|---|\n');
for (const { round, resolver: r, baseline: b } of result.runs) {
  write(
    `| ${r.writers} | ${round + 1} | ${fmt(r.rate)} | ${fmt(r.profileRows / r.seconds)} | ${b ? `${fmt(b.rate)} (${fmt(b.rowRate)})` : '–'} | ${b ? (r.rate / b.rate).toFixed(2) : '–'} | ` +
      `${r.chunkMs.p50.toFixed(0)} / ${r.chunkMs.p99.toFixed(0)} | ${r.rollbacks}${b ? ` (baseline ${b.rollbacks})` : ''} | ${pct(r.cpu.driver)} / ${pct(r.cpu.postgres)}${b ? ` (baseline ${pct(b.cpu.driver)} / ${pct(b.cpu.postgres)})` : ''} |\n`,
  );
}

const writerCounts = [...new Set(result.runs.map((r) => r.resolver.writers))].sort((a, b) => a - b);
const summary = new Map<number, { rate: number; baseline: number | null; ratio: number | null }>();
write('\nmedians over the rounds:\n\n| writers | resolved events/s | baseline rows/s (archive rows = events) | ratio |\n|---|---|---|---|\n');
for (const w of writerCounts) {
  const runs = result.runs.filter((r) => r.resolver.writers === w);
  const rate = median(runs.map((r) => r.resolver.rate));
  const withBase = runs.filter((r) => r.baseline !== null);
  const baseline = withBase.length > 0 ? median(withBase.map((r) => r.baseline!.rate)) : null;
  const ratio = withBase.length > 0 ? median(withBase.map((r) => r.resolver.rate / r.baseline!.rate)) : null;
  summary.set(w, { rate, baseline, ratio });
  write(`| ${w} | ${fmt(rate)} | ${baseline === null ? '–' : fmt(baseline)} | ${ratio === null ? '–' : ratio.toFixed(2)} |\n`);
}

const { row, view } = result.lookup;
write(
  `\nprofile look-up by identifier (withTenant: identifiers → profiles row with traits), ${fmt(row.count)} random known identifiers one after the other after the runs: ` +
    `p50 ${row.p50} ms, p90 ${row.p90} ms, p99 ${row.p99} ms, max ${row.max} ms (${row.found} found)\n` +
    `the same plus a profile view's reads (its identifiers, current consents, merged ids): p50 ${view.p50} ms, p90 ${view.p90} ms, p99 ${view.p99} ms, max ${view.max} ms\n`,
);

write('\ntargets:\n');
const two = summary.get(TARGET.writers);
if (two) {
  write(`- resolved events/s with ${TARGET.writers} writers: ${fmt(two.rate)} (target ≥ ${fmt(TARGET.rate)}: ${two.rate >= TARGET.rate ? 'met' : 'NOT met'})\n`);
  if (two.ratio !== null) write(`- resolver ÷ raw UNNEST baseline with ${TARGET.writers} writers: ${two.ratio.toFixed(2)} (target ≥ ${TARGET.ratio}: ${two.ratio >= TARGET.ratio ? 'met' : 'NOT met'})\n`);
}
write(`- profile look-up p99: ${row.p99} ms (target ≤ ${TARGET.lookupP99Ms} ms: ${row.p99 <= TARGET.lookupP99Ms ? 'met' : 'NOT met'})\n`);

// Where the time goes: client-timed statements, per chunk, summed over the rounds.
for (const w of writerCounts) {
  const runs = result.runs.filter((r) => r.resolver.writers === w);
  const chunks = runs.reduce((n, r) => n + r.resolver.chunks, 0);
  const chunkMs = runs.reduce((n, r) => n + r.resolver.chunkMsTotal, 0);
  const sum = new Map<string, Statement>();
  for (const r of runs)
    for (const s of r.resolver.statements) {
      const t = sum.get(s.label) ?? { label: s.label, n: 0, ms: 0 };
      t.n += s.n;
      t.ms += s.ms;
      sum.set(s.label, t);
    }
  const statements = [...sum.values()].sort((a, b) => b.ms - a.ms);
  const inStatements = statements.reduce((n, s) => n + s.ms, 0);
  write(
    `\nresolver, ${w} writer(s): where a chunk's time goes (client-timed statements, ${chunks} chunks over ${runs.length} run(s); mean chunk ${(chunkMs / chunks).toFixed(1)} ms)\n\n` +
      '| statement | per chunk | ms per chunk | share of chunk time |\n|---|---|---|---|\n',
  );
  for (const s of statements) write(`| ${s.label} | ${(s.n / chunks).toFixed(2)} | ${(s.ms / chunks).toFixed(1)} | ${pct(s.ms / chunkMs)} |\n`);
  write(`| (outside statements: the resolver's JavaScript — planning, JSON — and event-loop waits) | | ${((chunkMs - inStatements) / chunks).toFixed(1)} | ${pct((chunkMs - inStatements) / chunkMs)} |\n`);
  const base = runs.flatMap((r) => (r.baseline ? [r.baseline] : []));
  if (base.length > 0) {
    const bsum = new Map<string, Statement>();
    for (const b of base)
      for (const s of b.statements) {
        const t = bsum.get(s.label) ?? { label: s.label, n: 0, ms: 0 };
        t.n += s.n;
        t.ms += s.ms;
        bsum.set(s.label, t);
      }
    const bchunks = base.reduce((n, b) => n + (b.statements.find((s) => s.label === 'BEGIN')?.n ?? 0), 0);
    write(`\nbaseline, ${w} writer(s), same chunks: ${[...bsum.values()]
      .sort((a, b) => b.ms - a.ms)
      .map((s) => `${s.label} ${(s.ms / Math.max(1, bchunks)).toFixed(1)} ms`)
      .join(', ')} per chunk\n`);
  }
  const o = runs.reduce(
    (acc, r) => {
      for (const [k, n] of Object.entries(r.resolver.outcomes)) acc[k] = (acc[k] ?? 0) + n;
      return acc;
    },
    {} as Record<string, number>,
  );
  const events = runs.reduce((n, r) => n + r.resolver.events, 0);
  const rows = runs.reduce((acc, r) => ({ newIdentifiers: acc.newIdentifiers + r.resolver.rows.newIdentifiers, edges: acc.edges + r.resolver.rows.edges, traitRows: acc.traitRows + r.resolver.rows.traitRows, audits: acc.audits + r.resolver.rows.audits }), { newIdentifiers: 0, edges: 0, traitRows: 0, audits: 0 });
  const errors = runs.reduce((acc, r) => {
    for (const [k, n] of Object.entries(r.resolver.errors)) acc[k] = (acc[k] ?? 0) + n;
    return acc;
  }, {} as Record<string, number>);
  write(
    `\nwhat the ${fmt(events)} events did (${w} writer(s)): ${Object.entries(o)
      .map(([k, n]) => `${k} ${pct(n / events)}`)
      .join(', ')}; per event the resolver also wrote ${(rows.newIdentifiers / events).toFixed(2)} new identifiers, ${(rows.edges / events).toFixed(2)} edges, ` +
      `${(rows.traitRows / events).toFixed(2)} trait rows, ${(rows.audits / events).toFixed(2)} audit rows; transactions redone: ${runs.reduce((n, r) => n + r.resolver.rollbacks, 0)}` +
      `${Object.keys(errors).length > 0 ? ` (statement errors: ${Object.entries(errors).map(([k, n]) => `${k} ×${n}`).join(', ')})` : ''}\n`,
  );
}
if (code !== 0) throw new Error(`the bench driver exited ${code}`);
