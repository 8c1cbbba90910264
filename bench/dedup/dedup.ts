/**
 * `pnpm bench dedup`: unique events/s through the dedup stage (look up the window, drop copies
 * within the chunk, front cache, one claim statement per chunk in PostgreSQL, exactly-once
 * delivery) against the runtime's pass-through stage in the same run, alternating per round over
 * one pre-produced events.valid topic with 15% repeats. A third variant, the pass-through with
 * exactly-once delivery, shows what the Kafka transactions cost by themselves. The broker runs in
 * its own process (flush=os), the registry here, and the stages in one more process,
 * services/dedup/test/bench-driver.ts: bench code may not import a service. The driver creates and
 * drops its own PostgreSQL database (BENCH_DATABASE_URL).
 *
 * Target (the issue): dedup unique events/s ≥ 0.7 × pass-through (at-least-once) events/s.
 *
 * Environment: BENCH_COUNT (50000), BENCH_ROUNDS (3), BENCH_DATABASE_URL; for analysis only,
 * passed through to the driver (see its header): BENCH_BATCH_SIZE, BENCH_CONCURRENCY, BENCH_ONLY,
 * BENCH_PREFILL_CLAIMS, BENCH_CACHE_ENTRIES; BENCH_DRIVER_NODE_ARGS adds node flags to the driver
 * (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSchemaRegistry } from '@stratum/schema-registry';
import { repoRoot, startBrokerProcess, stopBrokerProcess } from '../broker-process';

const COUNT = process.env.BENCH_COUNT ?? '50000';
const ROUNDS = process.env.BENCH_ROUNDS ?? '3';
const PARTITIONS = '6';
const TARGET = 0.7;

interface Cpu {
  stage: number;
  broker: number | null;
  postgres: number;
}

interface Run {
  rate: number;
  totalSeconds: number;
  measuredSeconds: number;
  chunks: number;
  chunkSeconds: number;
  cpu: Cpu;
  outcomes: Record<string, number>;
}

interface DedupRun extends Run {
  uniqueRate: number;
  claims: { statements: number; statementSeconds: number; firstStatementsMs: number; lastStatementsMs: number; cacheHits: number; cacheMisses: number; keys: number; created: number };
  scans: { seqScans: number; seqRowsRead: number; indexScans: number };
  output: { records: number; distinct: number; copies: number; verdict: 'ok' | 'mismatch'; detail?: string };
}

interface Result {
  count: number;
  distinct: number;
  nearRepeats: number;
  farRepeats: number;
  partitions: number;
  bytes: number;
  cacheEntries: number;
  batchSize: number;
  concurrency: number;
  prefillClaims: number;
  passThrough: Run[];
  passThroughEos: Run[];
  dedup: DedupRun[];
}

const dataDir = mkdtempSync(join(tmpdir(), 'stratum-bench-dedup-'));
const { child: broker, bootstrap } = await startBrokerProcess(dataDir, 'os');
const registry = await startSchemaRegistry({ brokers: [bootstrap], port: 0 });
try {
  const driver = spawn(process.execPath, [...(process.env.BENCH_DRIVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', join(repoRoot, 'services/dedup/test/bench-driver.ts')], {
    cwd: join(repoRoot, 'services/dedup'),
    env: {
      ...process.env,
      BENCH_BROKERS: bootstrap,
      BENCH_REGISTRY_URL: registry.url,
      BENCH_COUNT: COUNT,
      BENCH_ROUNDS: ROUNDS,
      BENCH_PARTITIONS: PARTITIONS,
      BENCH_BROKER_PID: String(broker.pid),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  driver.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => driver.once('close', resolve));
  const line = /^RESULT (.*)$/m.exec(out);
  if (!line) throw new Error(`the bench driver exited ${code} without a result: ${out}`);
  const result = JSON.parse(line[1]!) as Result;

  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const pct = (x: number | null) => (x === null ? '?' : `${Math.round(x * 100)}%`);
  const cpuOf = (runs: Run[]) => {
    const m = (f: (c: Cpu) => number | null) => {
      const xs = runs.map((r) => f(r.cpu)).filter((x): x is number => x !== null);
      return xs.length > 0 ? median(xs) : null;
    };
    return `${pct(m((c) => c.stage))} / ${pct(m((c) => c.broker))} / ${pct(m((c) => c.postgres))}`;
  };
  const row = (label: string, runs: Run[], rate: (r: Run) => number = (r) => r.rate) =>
    `| ${label} | ${runs.map((r) => fmt(rate(r))).join(', ')} | ${fmt(median(runs.map(rate)))} | ${runs.map((r) => r.totalSeconds.toFixed(1)).join(', ')} | ${cpuOf(runs)} |\n`;

  const repeats = result.count - result.distinct;
  process.stdout.write(
    `\nbroker ${bootstrap} in its own process (flush=os); stages in one process; ${result.count} events.valid records (${result.bytes} B framed) per run, ` +
      `${result.distinct} distinct ids + ${repeats} repeats (${result.nearRepeats} within 2,000 records of the first copy, ${result.farRepeats} ≥ 10,000 records later), ` +
      `${result.partitions} partitions, batch ${result.batchSize}, ${result.concurrency} partition(s) at a time; dedup front cache ${result.cacheEntries.toLocaleString('en-US')} entries, ` +
      `claims in PostgreSQL (fresh database, TRUNCATE between rounds${result.prefillClaims > 0 ? `, ${result.prefillClaims.toLocaleString('en-US')} other claims prefilled and ANALYZEd before each dedup run` : ''})\n\n`,
  );
  process.stdout.write('| variant | per run | median | seconds from start to last commit | CPU stage / broker / PostgreSQL (median, share of one core) |\n|---|---|---|---|---|\n');
  const rows: Array<[string, Run[], ((r: Run) => number)?]> = [
    ['pass-through, at-least-once (valid → valid, one ok() step): input records/s', result.passThrough],
    ['pass-through, exactly-once (same stage, a Kafka transaction per chunk): input records/s', result.passThroughEos],
    ['dedup (exactly-once, claims in PostgreSQL): input records/s', result.dedup],
    ['dedup: unique events/s (input rate × distinct / count)', result.dedup, (r) => (r as DedupRun).uniqueRate],
  ];
  for (const [label, runs, rate] of rows) if (runs.length > 0) process.stdout.write(row(label, runs, rate));

  const medianOf = (runs: Run[], rate: (r: Run) => number = (r) => r.rate) => (runs.length > 0 ? median(runs.map(rate)) : null);
  const pt = medianOf(result.passThrough);
  const eos = medianOf(result.passThroughEos);
  const dedupIn = medianOf(result.dedup);
  const dedupUnique = medianOf(result.dedup, (r) => (r as DedupRun).uniqueRate);
  process.stdout.write('\n');
  if (pt !== null && dedupUnique !== null && dedupIn !== null) {
    const ratio = dedupUnique / pt;
    process.stdout.write(
      `dedup unique events/s ÷ pass-through (at-least-once) events/s: **${ratio.toFixed(2)}** (medians; target ≥ ${TARGET}: ${ratio >= TARGET ? 'met' : 'NOT met'})\n` +
        `dedup input records/s ÷ pass-through (at-least-once): ${(dedupIn / pt).toFixed(2)}\n`,
    );
  }
  if (pt !== null && eos !== null) process.stdout.write(`pass-through exactly-once ÷ at-least-once: ${(eos / pt).toFixed(2)}\n`);

  process.stdout.write('\nwhere the time goes (measured interval, per run):\n\n| variant | round | chunks | ms per chunk (steps + delivery) | share of wall time in chunks | claim statements | ms per statement (first 10 → last 10) | share of chunk time in claim statements | cache hits / misses | claim partitions: seq scans (rows read) / index scans | outcomes |\n|---|---|---|---|---|---|---|---|---|---|---|\n');
  const detail = (label: string, runs: Run[]) =>
    runs.forEach((r, i) => {
      const d = r as Partial<DedupRun>;
      const claims = d.claims;
      process.stdout.write(
        `| ${label} | ${i + 1} | ${r.chunks} | ${((r.chunkSeconds * 1000) / Math.max(1, r.chunks)).toFixed(1)} | ${pct(r.chunkSeconds / r.measuredSeconds)} | ` +
          `${claims ? claims.statements : '–'} | ${claims ? `${((claims.statementSeconds * 1000) / Math.max(1, claims.statements)).toFixed(1)} (${claims.firstStatementsMs} → ${claims.lastStatementsMs})` : '–'} | ${claims ? pct(claims.statementSeconds / Math.max(1e-9, r.chunkSeconds)) : '–'} | ` +
          `${claims ? `${claims.cacheHits} / ${claims.cacheMisses}` : '–'} | ${d.scans ? `${d.scans.seqScans} (${d.scans.seqRowsRead.toLocaleString('en-US')}) / ${d.scans.indexScans}` : '–'} | ${Object.entries(r.outcomes)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')} |\n`,
      );
    });
  detail('pass-through ALO', result.passThrough);
  detail('pass-through EOS', result.passThroughEos);
  detail('dedup', result.dedup);

  if (result.dedup.length > 0) process.stdout.write(
    `\ndedup output, read to its end with read_committed after each run (expected ${result.distinct} distinct ids, no copy): ${result.dedup
      .map((r, i) => `round ${i + 1} ${r.output.verdict} (${r.output.records} records, ${r.output.distinct} distinct${r.output.detail ? `; ${r.output.detail}` : ''})`)
      .join('; ')}\n`,
  );
  if (code !== 0) throw new Error(`the bench driver exited ${code} (dedup output mismatch or failure; see above)`);
} finally {
  await registry.stop();
  await stopBrokerProcess(broker);
  rmSync(dataDir, { recursive: true, force: true });
}
