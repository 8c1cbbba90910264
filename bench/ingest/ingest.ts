/**
 * `pnpm bench ingest`: records/s through the ingest stage (look up the source, check the event,
 * hash identifiers, validate the tracking plan with ajv, build the valid event) against the
 * runtime's pass-through (a stage that maps raw → raw) in the same run, alternating per round over
 * one pre-produced input topic. The broker runs in its own process (flush=os), the registry here,
 * and the stages in one more process, services/ingest/test/bench-driver.ts: bench code may not
 * import a service (lint: services meet only on topics), so it runs the service's own driver.
 * Source settings come from an in-memory directory: this measures the stage, not PostgreSQL.
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

interface Run {
  rate: number;
  totalSeconds: number;
  invalid: number;
}

const dataDir = mkdtempSync(join(tmpdir(), 'stratum-bench-ingest-'));
const { child: broker, bootstrap } = await startBrokerProcess(dataDir, 'os');
const registry = await startSchemaRegistry({ brokers: [bootstrap], port: 0 });
try {
  const driver = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'services/ingest/test/bench-driver.ts')], {
    cwd: join(repoRoot, 'services/ingest'),
    env: { ...process.env, BENCH_BROKERS: bootstrap, BENCH_REGISTRY_URL: registry.url, BENCH_COUNT: COUNT, BENCH_ROUNDS: ROUNDS, BENCH_PARTITIONS: PARTITIONS },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  driver.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => driver.once('close', resolve));
  const line = /^RESULT (.*)$/m.exec(out);
  if (code !== 0 || !line) throw new Error(`the bench driver exited ${code}: ${out}`);
  const result = JSON.parse(line[1]!) as { count: number; partitions: number; bytes: number; passThrough: Run[]; ingest: Run[] };

  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const row = (label: string, runs: Run[]) =>
    `| ${label} | ${runs.map((r) => fmt(r.rate)).join(', ')} | ${fmt(median(runs.map((r) => r.rate)))} | ${runs.map((r) => r.totalSeconds.toFixed(1)).join(', ')} |\n`;
  process.stdout.write(
    `\nbroker ${bootstrap} in its own process (flush=os); stages in one process; ${result.count} events.raw records (${result.bytes} B framed: the example Order Completed track event, 3 identifiers, a tracking-plan schema) per run, ${result.partitions} partitions, acks=all, batch 500\n\n`,
  );
  process.stdout.write('| stage | records/s per run (first to last output) | median | seconds from start to last output |\n|---|---|---|---|\n');
  process.stdout.write(row('pass-through (raw → raw, no steps)', result.passThrough));
  process.stdout.write(row('ingest', result.ingest));
  const quarantined = result.ingest.reduce((n, r) => n + r.invalid, 0);
  process.stdout.write(`\ningest / pass-through: ${(median(result.ingest.map((r) => r.rate)) / median(result.passThrough.map((r) => r.rate))).toFixed(2)} (medians); quarantined by ingest: ${quarantined} (expected 0)\n`);
} finally {
  await registry.stop();
  await stopBrokerProcess(broker);
  rmSync(dataDir, { recursive: true, force: true });
}
