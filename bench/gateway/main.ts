/**
 * `pnpm bench gateway [--quick] [--profile]`: the HTTP edge under load, in one run.
 *
 * - events/s accepted through /v1/batch (50 track events of ~550 B per request), connections
 *   ramped to find saturation, with the gateway process's CPU so the rate can be stated per core;
 * - /v1/track requests/s and latency, against the same load on a bare node:http server that reads
 *   the body, JSON.parses it and answers 200 (the floor of any Node endpoint): the ratio;
 * - p50/p99 at 70% of each saturation rate, offered at a steady pace (paced-load.ts; autocannon's
 *   overallRate sends each second's quota in a burst);
 * - the publisher alone (its load probe in its own process), coalesced vs one produce request per publish.
 *
 * The gateway, the broker and the bare server each run in their own process; the registry and
 * autocannon run here. Every answer the gateway gives is after Kafka acknowledged (acks=all); the
 * broker flushes to the page cache (flush=os; BENCH_FLUSH=always for fdatasync per write). On a
 * small machine all of them share the cores, so CPU per process is printed with each run.
 * `--profile` then runs each load once more on a gateway started with `node --cpu-prof` and
 * prints where its CPU went.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSchemaRegistry } from '@stratum/schema-registry';
import { applyTopics, topicNamed } from '@stratum/topics';
import { startBrokerProcess, stopBrokerProcess } from '../broker-process';
import { runLoad, type LoadResult, type LoadSpec } from './load';
import { BATCH_BODY, BATCH_SIZE, TRACK_BODY, bodyVariants, eventBytes } from './payloads';
import { runPaced } from './paced-load';
import { runPublishLoad, startBareServer, startGateway, provisionBenchTenant, type GatewayOptions, type ServerProcess } from './processes';
import { formatProfile, summariseProfile } from './profile';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const DURATION_S = quick ? 3 : 8;
const WARMUP_S = quick ? 2 : 4;
const BATCH_CONNECTIONS = quick ? [2, 8, 32] : [1, 2, 4, 8, 16, 32, 64];
const TRACK_CONNECTIONS = quick ? [8, 64] : [1, 4, 16, 64, 128];
const PACED_CONNECTIONS = 64;
/** Publisher probe: [concurrent callers, events per publish]. */
const PUBLISH_LOADS: [number, number][] = quick ? [[64, 1], [8, 50]] : [[1, 1], [8, 1], [64, 1], [8, 50], [32, 50]];
const FLUSH = process.env.BENCH_FLUSH ?? 'os';

const fmt = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 2 : 1) : '–');
const cores = (r: LoadResult, name: string) => (r.cores[name] === undefined ? '–' : r.cores[name]!.toFixed(2));
const failures = (r: LoadResult) => (r.failed === 0 ? '0' : `${r.failed} (${Object.entries(r.failures).map(([k, n]) => `${k}×${n}`).join(', ')})`);
const out = (line = '') => process.stdout.write(`${line}\n`);

const dataDir = mkdtempSync(join(tmpdir(), 'stratum-bench-gateway-'));
const broker = await startBrokerProcess(join(dataDir, 'kafka'), FLUSH);
const registry = await startSchemaRegistry({ brokers: [broker.bootstrap], port: 0 });
const servers: ServerProcess[] = [];
let tenant: Awaited<ReturnType<typeof provisionBenchTenant>> | null = null;

try {
  const applied = await applyTopics({ brokers: [broker.bootstrap], topics: [topicNamed('events.raw')] });
  if (applied.exitCode !== 0) throw new Error('could not create events.raw on the bench broker');
  tenant = await provisionBenchTenant(process.env.DATABASE_URL);
  const gatewayOptions: GatewayOptions = { brokers: broker.bootstrap, registryUrl: registry.url, databaseUrl: tenant.databaseUrl };
  const gateway = await startGateway(gatewayOptions);
  servers.push(gateway);
  const bare = await startBareServer();
  servers.push(bare);

  const headers = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${tenant.writeKey}:`).toString('base64')}` };
  const batch = (url: string, connections: number, extra: Partial<LoadSpec> = {}): LoadSpec => ({ url, path: '/v1/batch', body: BATCH_BODY, headers, connections, durationS: DURATION_S, ...extra });
  const track = (url: string, connections: number, extra: Partial<LoadSpec> = {}): LoadSpec => ({ url, path: '/v1/track', body: TRACK_BODY, headers, connections, durationS: DURATION_S, ...extra });
  const watchGateway = { gateway: gateway.child.pid!, broker: broker.child.pid! };
  const watchBare = { bare: bare.child.pid! };

  out(
    `gateway (own process) → broker (own process, flush=${FLUSH}, events.raw ${topicNamed('events.raw').partitions} partitions, acks=all); ` +
      `PostgreSQL ${tenant.source}; registry and autocannon in this process${quick ? '; --quick' : ''}`,
  );
  out(`events: Segment track, ${eventBytes()} B of JSON each; /v1/batch bodies of ${BATCH_SIZE} (${(BATCH_BODY.length / 1024).toFixed(1)} KiB); ${DURATION_S} s per run after ${WARMUP_S} s warm-ups\n`);

  await runLoad(batch(gateway.url, 8, { durationS: WARMUP_S }), {});
  await runLoad(track(gateway.url, 16, { durationS: WARMUP_S }), {});
  await runLoad(track(bare.url, 16, { durationS: WARMUP_S }), {});

  out('/v1/batch (50 events per request), connections ramped:\n');
  out('| connections | events/s | requests/s | p50 ms | p99 ms | gateway cores | events/s per gateway core | broker cores | autocannon cores | other processes, cores | failed |');
  out('|---|---|---|---|---|---|---|---|---|---|---|');
  const batchRuns: LoadResult[] = [];
  for (const c of BATCH_CONNECTIONS) {
    const r = await runLoad(batch(gateway.url, c), watchGateway);
    batchRuns.push(r);
    const perCore = (r.okPerSecond * BATCH_SIZE) / (r.cores.gateway ?? Number.NaN);
    out(`| ${c} | ${fmt(r.okPerSecond * BATCH_SIZE)} | ${fmt(r.okPerSecond)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${cores(r, 'gateway')} | ${fmt(perCore)} | ${cores(r, 'broker')} | ${cores(r, 'load generator')} | ${cores(r, 'others')} | ${failures(r)} |`);
  }
  const batchPeak = batchRuns.reduce((a, b) => (b.okPerSecond > a.okPerSecond ? b : a));

  out('\n/v1/track (one event per request) against a bare node:http server (read body, JSON.parse, 200), same connections:\n');
  out('| connections | gateway req/s | p50 ms | p99 ms | gateway cores | req/s per core | bare req/s | p50 ms | p99 ms | bare cores | req/s per core | gateway / bare | autocannon cores (gateway, bare) | other processes, cores | failed |');
  out('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  const trackRuns: LoadResult[] = [];
  const bareRuns: LoadResult[] = [];
  for (const c of TRACK_CONNECTIONS) {
    const g = await runLoad(track(gateway.url, c), watchGateway);
    const b = await runLoad(track(bare.url, c), watchBare);
    trackRuns.push(g);
    bareRuns.push(b);
    out(
      `| ${c} | ${fmt(g.okPerSecond)} | ${ms(g.p50Ms)} | ${ms(g.p99Ms)} | ${cores(g, 'gateway')} | ${fmt(g.okPerSecond / (g.cores.gateway ?? Number.NaN))} | ${fmt(b.okPerSecond)} | ${ms(b.p50Ms)} | ${ms(b.p99Ms)} | ${cores(b, 'bare')} | ${fmt(b.okPerSecond / (b.cores.bare ?? Number.NaN))} | ${(g.okPerSecond / b.okPerSecond).toFixed(2)} | ${cores(g, 'load generator')}, ${cores(b, 'load generator')} | ${cores(g, 'others')}, ${cores(b, 'others')} | ${failures(g)} |`,
    );
  }
  const trackPeak = trackRuns.reduce((a, b) => (b.okPerSecond > a.okPerSecond ? b : a));
  const barePeak = bareRuns.reduce((a, b) => (b.okPerSecond > a.okPerSecond ? b : a));

  // 70% of saturation, offered at a steady rate (paced-load.ts: autocannon's overallRate is bursty).
  const paced = (path: string, body: string, peak: LoadResult) =>
    runPaced({ url: gateway.url, path, bodies: bodyVariants(body), headers, rate: Math.round(0.7 * peak.okPerSecond), durationS: DURATION_S, connections: PACED_CONNECTIONS }, watchGateway);
  const batchAt70 = await paced('/v1/batch', BATCH_BODY, batchPeak);
  const trackAt70 = await paced('/v1/track', TRACK_BODY, trackPeak);
  out(`\nAt 70% of saturation (steady offered rate, open loop over ${PACED_CONNECTIONS} keep-alive connections, latency counted from when each request was due):\n`);
  out('| load | offered req/s | answered 2xx/s | p50 ms | p99 ms | gateway cores | broker cores | load generator cores | other processes, cores | failed |');
  out('|---|---|---|---|---|---|---|---|---|---|');
  for (const [name, peak, r] of [
    ['/v1/batch', batchPeak, batchAt70],
    ['/v1/track', trackPeak, trackAt70],
  ] as const) {
    out(`| ${name} | ${fmt(0.7 * peak.okPerSecond)} | ${fmt(r.okPerSecond)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${cores(r, 'gateway')} | ${cores(r, 'broker')} | ${cores(r, 'load generator')} | ${cores(r, 'others')} | ${failures(r)} |`);
  }

  const busiest = Math.max(...[...batchRuns, ...trackRuns, batchAt70, trackAt70].map((r) => r.cores.others ?? 0));
  if (busiest > 0.25) {
    out(`\nOther processes used up to ${busiest.toFixed(2)} cores during these runs (of ${availableParallelism()}): rates and latencies are lower bounds for this machine; the per-core figures hold better.`);
  }

  const perCore = (batchPeak.okPerSecond * BATCH_SIZE) / (batchPeak.cores.gateway ?? Number.NaN);
  const ratio = trackPeak.okPerSecond / barePeak.okPerSecond;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  out('\nAgainst the targets of issue 5:\n');
  out('| measure | result | target | |');
  out('|---|---|---|---|');
  out(`| events/s through /v1/batch per gateway core, at saturation | ${fmt(perCore)} (${fmt(batchPeak.okPerSecond * BATCH_SIZE)} events/s on ${cores(batchPeak, 'gateway')} cores, ${batchPeak.connections} connections) | ≥ 40,000 | ${verdict(perCore >= 40_000)} |`);
  out(`| /v1/track requests/s, gateway / bare node:http (best of each) | ${ratio.toFixed(2)} (${fmt(trackPeak.okPerSecond)} / ${fmt(barePeak.okPerSecond)}) | ≥ 0.7 | ${verdict(ratio >= 0.7)} |`);
  const perCoreRatio = trackPeak.okPerSecond / (trackPeak.cores.gateway ?? Number.NaN) / (barePeak.okPerSecond / (barePeak.cores.bare ?? Number.NaN));
  out(`| the same per core of each server process (less sensitive to a shared machine) | ${perCoreRatio.toFixed(2)} | ≥ 0.7 | ${verdict(perCoreRatio >= 0.7)} |`);
  out(`| p99 at 70% of saturation, /v1/batch | ${ms(batchAt70.p99Ms)} ms | ≤ 10 ms | ${verdict(batchAt70.p99Ms <= 10)} |`);
  out(`| p99 at 70% of saturation, /v1/track | ${ms(trackAt70.p99Ms)} ms | ≤ 10 ms | ${verdict(trackAt70.p99Ms <= 10)} |`);

  out('\nThe publisher alone (its own process, no HTTP): coalesced vs one produce request per publish, same producer settings:\n');
  out('| callers × events per publish | mode | events/s | produce requests/s | publish p50 ms | p99 ms | cores | events/s per core |');
  out('|---|---|---|---|---|---|---|---|');
  for (const [concurrency, perPublish] of PUBLISH_LOADS) {
    for (const mode of ['coalesced', 'per-request'] as const) {
      const r = await runPublishLoad({ mode, brokers: broker.bootstrap, registryUrl: registry.url, topic: 'events.raw', concurrency, perPublish, durationMs: DURATION_S * 1000 });
      const cpu = r.cpuSeconds / r.seconds;
      out(`| ${concurrency} × ${perPublish} | ${mode} | ${fmt(r.events / r.seconds)} | ${fmt(r.produceRequests / r.seconds)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${cpu.toFixed(2)} | ${fmt(r.events / r.cpuSeconds)} |`);
    }
  }

  if (profile) {
    for (const [name, spec] of [
      ['/v1/batch', (url: string) => batch(url, batchPeak.connections)],
      ['/v1/track', (url: string) => track(url, trackPeak.connections)],
    ] as const) {
      await gateway.stop();
      const profileDir = join(dataDir, `profile-${name.replace(/\W/g, '')}`);
      const profiled = await startGateway({ ...gatewayOptions, profileDir });
      servers.push(profiled);
      await runLoad(spec(profiled.url), {});
      await profiled.stop();
      out(formatProfile(`gateway CPU profile under ${name} at ${name === '/v1/batch' ? batchPeak.connections : trackPeak.connections} connections`, summariseProfile(profileDir)));
    }
  }
} finally {
  for (const s of servers) await s.stop();
  await registry.stop();
  await stopBrokerProcess(broker.child);
  await tenant?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
