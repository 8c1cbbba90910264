/**
 * `pnpm bench delivery`: deliveries/s to a local mock platform through the delivery-adapter's
 * engine (ledger + profiles read in PostgreSQL, the destination's filters and consent gate, the
 * adapter, each request through the destination's lane — circuit breaker and token bucket — and
 * the http sender, a ledger insert after every accepted request) against a bare client sending the
 * same adapter requests with the same sender (no breaker, limiter, ledger or gate), in the same
 * run, rotating which goes first per round: for Meta CAPI (one request per chunk of 500: the
 * batching case) and for a Standard Webhooks endpoint (one request per event, 8 in flight). A third
 * variant, `lane` (bare plus each request through the destination's breaker and token bucket),
 * splits the engine's overhead into the lane's share and the rest.
 *
 * The mocks (@stratum/testing) run here, in this process, so their CPU is not the driver's; the
 * delivery side runs in services/delivery-adapter/test/bench-driver.ts as a child process (bench
 * code may not import a service), which creates and drops its own PostgreSQL database
 * (BENCH_DATABASE_URL). Around each run the driver asks (a `SYNC` line on its stdout) and this
 * process answers on its stdin with what the mock recorded meanwhile, then clears the recording.
 *
 * Environment, passed to the driver (see its header): BENCH_COUNT (20000 events per run),
 * BENCH_ROUNDS (3), BENCH_CHUNK (500), BENCH_CONCURRENCY (8), BENCH_WARMUP (1000),
 * BENCH_TYPES (meta_capi,webhook), BENCH_ONLY (engine,lane,bare), BENCH_DATABASE_URL;
 * BENCH_DRIVER_NODE_ARGS adds node flags to the driver (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MockMetaConversionsApi, MockWebhookReceiver, type MockPlatform } from '@stratum/testing';
import { repoRoot } from '../broker-process';

const PIXEL = '1234567890';
const TOKEN = 'meta-test-access-token';
const SECRET = `whsec_${Buffer.alloc(32, 11).toString('base64')}`;

interface MockCounts {
  events: number;
  duplicates: number;
  rejected: number;
  requests: number;
  faulted: number;
  cpu: number;
}
interface Run {
  type: string;
  variant: 'engine' | 'lane' | 'bare';
  round: number;
  events: number;
  seconds: number;
  rate: number;
  chunkMs: { p50: number; max: number };
  cpu: { driver: number; postgres: number; mock: number };
  driverUsPerEvent: number;
  results: Record<string, number>;
  ledgerRows: number;
  statements: number;
  statementMsPerChunk: number;
  statementsByKind: Record<string, { perChunk: number; msPerChunk: number }>;
  mock: MockCounts;
}
interface Result {
  count: number;
  rounds: number;
  chunk: number;
  concurrency: number;
  warmupEvents: number;
  profiles: number;
  lane: { timeoutMs: number; ratePerSecond: number; burst: number; errorThresholdPercentage: number; volumeThreshold: number; rollingWindowMs: number; resetTimeoutMs: number };
  laneBudgetMs: number;
  ledgerTotal: number;
  warmup: Run[];
  runs: Run[];
}

const meta = new MockMetaConversionsApi({ pixelId: PIXEL, accessToken: TOKEN });
const webhook = new MockWebhookReceiver({ secret: SECRET });
await meta.start();
await webhook.start();
const mocks: Record<string, MockPlatform<unknown>> = { meta_capi: meta as MockPlatform<unknown>, webhook: webhook as MockPlatform<unknown> };

let out = '';
let code: number | null;
try {
  const driver = spawn(process.execPath, [...(process.env.BENCH_DRIVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', join(repoRoot, 'services/delivery-adapter/test/bench-driver.ts')], {
    cwd: join(repoRoot, 'services/delivery-adapter'),
    env: { ...process.env, BENCH_META_URL: meta.url, BENCH_META_PIXEL: PIXEL, BENCH_META_TOKEN: TOKEN, BENCH_WEBHOOK_URL: webhook.url, BENCH_WEBHOOK_SECRET: SECRET },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  // Ctrl-C reaches the driver too (same process group); wait for it to drop its database.
  process.on('SIGINT', () => undefined);
  let started = { at: 0, cpu: process.cpuUsage() };
  createInterface({ input: driver.stdout! }).on('line', (line) => {
    if (!line.startsWith('SYNC ')) {
      out += `${line}\n`;
      return;
    }
    const message = JSON.parse(line.slice(5)) as { phase: 'start' | 'done'; type: string };
    const mock = mocks[message.type]!;
    if (message.phase === 'start') {
      mock.recording.clear();
      started = { at: performance.now(), cpu: process.cpuUsage() };
      driver.stdin!.write('{}\n');
      return;
    }
    const cpu = process.cpuUsage(started.cpu);
    const r = mock.recording;
    const counts: MockCounts = {
      events: r.events.length,
      duplicates: r.duplicates.length,
      rejected: r.rejected.length,
      requests: r.requests.length,
      faulted: r.faulted.length,
      cpu: (cpu.user + cpu.system) / 1000 / (performance.now() - started.at),
    };
    r.clear();
    driver.stdin!.write(`${JSON.stringify(counts)}\n`);
  });
  code = await new Promise<number | null>((resolve) => driver.once('close', resolve));
} finally {
  await meta.stop();
  await webhook.stop();
}

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
const write = (s: string) => process.stdout.write(s);
const TYPE_LABEL: Record<string, string> = { meta_capi: 'meta_capi (batch ≤ 1,000; 1 request per chunk)', webhook: 'webhook (1 request per event)' };

write(
  `\n${fmt(result.count)} fresh events per run (unique messageIds, timestamps of now) in chunks of ${result.chunk}, ${result.rounds} rounds rotating which variant goes first, ` +
    `after a warm-up of ${fmt(result.warmupEvents)} events per variant and type. One tenant per type with one destination (filters: Order Completed, consent purpose marketing) and ` +
    `${fmt(result.profiles)} profiles with marketing granted. Engine: laneConcurrency ${result.concurrency}, lane budget ${result.laneBudgetMs} ms, ` +
    `token bucket ${fmt(result.lane.ratePerSecond)}/s burst ${fmt(result.lane.burst)} (never throttles), breaker ${result.lane.errorThresholdPercentage}% of ≥ ${result.lane.volumeThreshold} in ${result.lane.rollingWindowMs / 1000} s. ` +
    `Bare: same adapter and http sender (${result.concurrency} sockets per host, SSRF guard on webhooks), ${result.concurrency} requests in flight; lane: bare plus each request through the destination's lane (breaker + token bucket). ` +
    `Mocks in the bench process, the delivery side in the driver process.\n\n`,
);
write(
  '| destination | variant | deliveries/s per round | median | chunk ms p50 (max), median round | driver CPU (share of a core) | driver CPU µs per delivery | PostgreSQL CPU | mock CPU | SQL statements per chunk (client ms in them, summed over concurrent ones) | ledger rows written | mock: events / duplicates / rejections / requests |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|---|\n',
);
const types = [...new Set(result.runs.map((r) => r.type))];
const variants = (['engine', 'lane', 'bare'] as const).filter((v) => result.runs.some((r) => r.variant === v));
const runsOf = (type: string, variant: string) => result.runs.filter((r) => r.type === type && r.variant === variant).sort((a, b) => a.round - b.round);
const medianRate = (type: string, variant: string) => {
  const runs = runsOf(type, variant);
  return runs.length > 0 ? median(runs.map((r) => r.rate)) : null;
};
for (const type of types) {
  for (const variant of variants) {
    const runs = runsOf(type, variant);
    if (runs.length === 0) continue;
    const mid = runs.slice().sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)]!;
    const sum = (f: (r: Run) => number) => runs.reduce((n, r) => n + f(r), 0);
    const chunks = Math.ceil(result.count / result.chunk);
    write(
      `| ${TYPE_LABEL[type] ?? type} | ${variant} | ${runs.map((r) => fmt(r.rate)).join(', ')} | **${fmt(median(runs.map((r) => r.rate)))}** | ${mid.chunkMs.p50} (${mid.chunkMs.max}) | ` +
        `${pct(median(runs.map((r) => r.cpu.driver)))} | ${fmt(median(runs.map((r) => r.driverUsPerEvent)))} | ${pct(median(runs.map((r) => r.cpu.postgres)))} | ${pct(median(runs.map((r) => r.cpu.mock)))} | ` +
        `${(median(runs.map((r) => r.statements)) / chunks).toFixed(1)} (${median(runs.map((r) => r.statementMsPerChunk)).toFixed(1)}) | ` +
        `${variant === 'engine' ? fmt(sum((r) => r.ledgerRows)) : `${fmt(sum((r) => r.ledgerRows))} (none expected)`} | ` +
        `${fmt(sum((r) => r.mock.events))} / ${sum((r) => r.mock.duplicates)} / ${sum((r) => r.mock.rejected)} / ${fmt(sum((r) => r.mock.requests))} |\n`,
    );
  }
}

const ratio = (a: number | null, b: number | null) => (a === null || b === null ? '–' : (a / b).toFixed(2));
const perRound = (type: string, a: string, b: string) => {
  const bs = new Map(runsOf(type, b).map((r) => [r.round, r]));
  const xs = runsOf(type, a).flatMap((r) => (bs.has(r.round) ? [r.rate / bs.get(r.round)!.rate] : []));
  return xs.length === 0 ? '–' : `${xs.map((x) => x.toFixed(2)).join(', ')} (median ${median(xs).toFixed(2)})`;
};
const cpuPer = (type: string, variant: string) => {
  const runs = runsOf(type, variant);
  return runs.length > 0 ? median(runs.map((r) => r.driverUsPerEvent)) : null;
};
write('\n| destination | engine deliveries/s (median) | bare deliveries/s (median) | **engine ÷ bare** (of medians) | engine ÷ bare per round | lane ÷ bare (of medians) | driver CPU per delivery, engine ÷ bare |\n|---|---|---|---|---|---|---|\n');
for (const type of types) {
  const [e, l, b] = [medianRate(type, 'engine'), medianRate(type, 'lane'), medianRate(type, 'bare')];
  write(`| ${type} | ${e === null ? '–' : fmt(e)} | ${b === null ? '–' : fmt(b)} | **${ratio(e, b)}** | ${perRound(type, 'engine', 'bare')} | ${ratio(l, b)} | ${ratio(cpuPer(type, 'engine'), cpuPer(type, 'bare'))} |\n`);
}
if (variants.length === 3) {
  write('\nwall time per delivery (µs, from the medians): bare = adapter + sender + the mock; lane adds the breaker and token bucket; engine adds the rest (ledger and profiles read, gate, ledger writes, results and plans)\n\n| destination | bare | + lane | + rest of the engine | = engine |\n|---|---|---|---|---|\n');
  for (const type of types) {
    const [e, l, b] = [medianRate(type, 'engine')!, medianRate(type, 'lane')!, medianRate(type, 'bare')!];
    write(`| ${type} | ${(1e6 / b).toFixed(1)} | ${(1e6 / l - 1e6 / b).toFixed(1)} | ${(1e6 / e - 1e6 / l).toFixed(1)} | ${(1e6 / e).toFixed(1)} |\n`);
  }
}

for (const type of types) {
  const runs = runsOf(type, 'engine');
  if (runs.length === 0) continue;
  const kinds = new Map<string, { perChunk: number; msPerChunk: number }>();
  for (const r of runs)
    for (const [kind, v] of Object.entries(r.statementsByKind)) {
      const k = kinds.get(kind) ?? { perChunk: 0, msPerChunk: 0 };
      k.perChunk += v.perChunk / runs.length;
      k.msPerChunk += v.msPerChunk / runs.length;
      kinds.set(kind, k);
    }
  const chunkMs = median(runs.map((r) => r.chunkMs.p50));
  write(
    `\n${type} engine: statements per chunk of ${result.chunk} (mean over the rounds; client-side ms, summed over the ones in flight at once; chunk p50 ${chunkMs.toFixed(1)} ms): ` +
      [...kinds]
        .sort((a, b) => b[1].msPerChunk - a[1].msPerChunk)
        .map(([kind, v]) => `${kind} ${v.perChunk.toFixed(1)} × → ${v.msPerChunk.toFixed(1)} ms`)
        .join(', ') +
      '\n',
  );
}

const notDelivered = [...result.warmup, ...result.runs].flatMap((r) =>
  Object.entries(r.results)
    .filter(([k]) => k !== 'delivered')
    .map(([k, n]) => `${r.type} ${r.variant} ${r.round < 0 ? 'warm-up' : `round ${r.round + 1}`}: ${k} ${n}`),
);
const all = [...result.warmup, ...result.runs];
write(
  `\nchecks: every event delivered once — results other than delivered: ${notDelivered.length === 0 ? 'none' : notDelivered.join('; ')}; ` +
    `mocks (all runs incl. warm-up): ${fmt(all.reduce((n, r) => n + r.mock.events, 0))} events accepted of ${fmt(all.reduce((n, r) => n + r.events, 0))} sent, ` +
    `${all.reduce((n, r) => n + r.mock.duplicates, 0)} duplicates, ${all.reduce((n, r) => n + r.mock.rejected, 0)} rejections, ${all.reduce((n, r) => n + r.mock.faulted, 0)} faulted; ` +
    `ledger rows at the end ${fmt(result.ledgerTotal)} (= engine events incl. warm-up: ${fmt(all.filter((r) => r.variant === 'engine').reduce((n, r) => n + r.events, 0))})\n`,
);
if (code !== 0) throw new Error(`the bench driver exited ${code} (a mismatch or failure; see above)`);
