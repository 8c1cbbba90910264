/**
 * The delivery side of `pnpm bench delivery` (bench/delivery/delivery.ts runs the mock platforms
 * in its own process and this as a child process: bench code may not import a service). Creates a
 * fresh PostgreSQL database (migrated), one tenant per destination type with one destination each
 * (filters: `Order Completed` only, consent purpose `marketing`) and 2,000 profiles that granted
 * it (so the gate's consent read finds rows), then, per round and destination type, delivers
 * BENCH_COUNT fresh events (unique messageIds, timestamps of now) in chunks of BENCH_CHUNK, three
 * ways, rotating which goes first:
 *   engine: WorkItems → createDeliveryEngine (per chunk: one tenant transaction reading the ledger
 *           and the profiles' current state, the gate, the adapter, each request through the
 *           destination's lane — opossum breaker + token bucket — and the http sender; a ledger
 *           insert in its own tenant transaction after every accepted request);
 *   lane:   the bare variant with each request through the destination's DestinationLane, as the
 *           engine sends it (analysis: splits the engine's overhead into the lane's and the rest);
 *   bare:   the same adapter (parseConfig once; prepare, buildRequests, classify) and the same http
 *           sender (same SSRF guard for webhooks), the same number of requests in flight; no
 *           breaker, limiter, ledger or gate.
 * The lanes' token bucket is set to 1,000,000 requests/s with a burst of 1,000,000, so it never
 * throttles (it still runs on every request); the breaker and lane budget use the service defaults.
 * The ledger keeps growing over the runs (it is never truncated) and is ANALYZEd before each run.
 * Every statement is timed from the client (pg's Client#query wrapped: BEGIN and COMMIT too) and
 * counted per kind; CPU: this process (process.cpuUsage) and every postgres process (/proc).
 *
 * Protocol with the bench (stdout/stdin lines): before and after each run the driver writes
 * `SYNC <json>` and waits for one line on stdin: the bench answers `{}` to `start` and, to `done`,
 * what its mock recorded in between (accepted events, duplicates, rejections, requests, its CPU),
 * then clears the recording. Progress goes to stderr; at the end one `RESULT <json>` line.
 *
 * Environment: BENCH_META_URL, BENCH_META_PIXEL, BENCH_META_TOKEN, BENCH_WEBHOOK_URL,
 * BENCH_WEBHOOK_SECRET (from the bench), BENCH_COUNT (20000 per run), BENCH_ROUNDS (3),
 * BENCH_CHUNK (500), BENCH_CONCURRENCY (8: the engine's laneConcurrency, the bare variant's
 * requests in flight and the sender's sockets per host), BENCH_WARMUP (1000 events per variant
 * and type before round 1, not measured), BENCH_TYPES (`meta_capi,webhook`), BENCH_ONLY
 * (`engine,lane,bare`: the variants to run), BENCH_DATABASE_URL
 * (postgres://postgres@127.0.0.1:5432/postgres: a database `stratum_test_<hex>` is created there
 * and dropped at the end).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createDb, migrateToLatest, withTenant, type Db } from '@stratum/db';
import { ADAPTERS, createCredentialKeyring, createDestination, type Classification, type HttpRequest, type HttpResult, type PublicTargetOptions } from '@stratum/destinations';
import { silentLogger } from '@stratum/observability';
import { exampleRecords, type ResolvedEvent } from '@stratum/schemas';
import { provisionTenant } from '@stratum/tenancy';
import { startTestPostgres } from '@stratum/testing';
import { createDeliveryEngine, type DeliveryEngine } from '../src/deliver/engine';
import type { ItemResult, WorkItem } from '../src/deliver/work';
import { LiveDestinations, type LiveDestination } from '../src/destinations/live-destinations';
import { retryTiers } from '../src/retry-tiers';
import type { LaneSettings } from '../src/send/destination-lane';
import { createHttpSender, type HttpSender } from '../src/send/http-sender';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const COUNT = Number(env('BENCH_COUNT', '20000'));
const ROUNDS = Number(env('BENCH_ROUNDS', '3'));
const CHUNK = Number(env('BENCH_CHUNK', '500'));
const CONCURRENCY = Number(env('BENCH_CONCURRENCY', '8'));
const WARMUP = Number(env('BENCH_WARMUP', '1000'));
const TYPES = env('BENCH_TYPES', 'meta_capi,webhook').split(',') as Array<'meta_capi' | 'webhook'>;
const DATABASE_URL = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const META = { url: env('BENCH_META_URL'), pixelId: env('BENCH_META_PIXEL'), token: env('BENCH_META_TOKEN') };
const WEBHOOK = { url: env('BENCH_WEBHOOK_URL'), secret: env('BENCH_WEBHOOK_SECRET') };
const VARIANTS = ['engine', 'lane', 'bare'] as const;
type Variant = (typeof VARIANTS)[number];
const ONLY = env('BENCH_ONLY', 'engine,lane,bare').split(',') as Variant[];
for (const v of ONLY) if (!VARIANTS.includes(v)) throw new Error(`BENCH_ONLY: unknown variant ${v} (${VARIANTS.join(', ')})`);
const PROFILES = 2_000;
const PURPOSE = 'marketing';

/** The service's defaults (config.ts), except the rate limit: high enough never to throttle. */
const LANE: LaneSettings = {
  timeoutMs: 10_000,
  ratePerSecond: 1_000_000,
  burst: 1_000_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingWindowMs: 30_000,
  resetTimeoutMs: 30_000,
};
const LANE_BUDGET_MS = 15_000;
const GUARD: PublicTargetOptions = { allowHosts: ['127.0.0.1'] };

const log = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// The bench on the other end of stdin/stdout.

const stdinLines = createInterface({ input: process.stdin });
const replies = stdinLines[Symbol.asyncIterator]();
async function sync<T>(message: Record<string, unknown>): Promise<T> {
  process.stdout.write(`SYNC ${JSON.stringify(message)}\n`);
  const reply = await replies.next();
  if (reply.done) throw new Error('the bench closed stdin');
  return JSON.parse(reply.value) as T;
}

/** What the mock recorded during one run (from the bench). */
interface MockCounts {
  events: number;
  duplicates: number;
  rejected: number;
  requests: number;
  faulted: number;
  /** The bench process's (the mock's) CPU over the run, share of one core. */
  cpu: number;
}

// ---------------------------------------------------------------------------------------------
// CPU: this process (process.cpuUsage) and every postgres process (/proc, Linux).

const TICKS_PER_SECOND = 100;

function cpuTicksOf(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

function postgresTicks(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ticks += cpuTicksOf(pid);
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}

interface CpuSample {
  at: number;
  self: NodeJS.CpuUsage;
  postgres: number;
}
const sampleCpu = (): CpuSample => ({ at: performance.now(), self: process.cpuUsage(), postgres: postgresTicks() });

// ---------------------------------------------------------------------------------------------
// Setup: database, tenants, destinations, profiles.

interface Target {
  type: 'meta_capi' | 'webhook';
  tenantId: string;
  destinationId: string;
  settings: Record<string, string>;
  credentials: Record<string, unknown>;
}

const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1: randomBytes(32) } });

async function setUp(db: Db): Promise<Target[]> {
  const targets: Target[] = [];
  for (const type of TYPES) {
    const { tenantId } = await provisionTenant(db, { name: `bench-delivery-${type}-${randomBytes(3).toString('hex')}` });
    const settings = type === 'meta_capi' ? { pixelId: META.pixelId, baseUrl: META.url } : { url: `${WEBHOOK.url}/hooks/stratum` };
    const credentials = type === 'meta_capi' ? { accessToken: META.token } : { secrets: [WEBHOOK.secret] };
    const created = await createDestination(db, keyring, tenantId, { name: `bench ${type}`, type, settings, credentials, filters: { events: ['Order Completed'], consentPurpose: PURPOSE } });
    await withTenant(db, tenantId, async (trx) => {
      await trx.raw(
        `INSERT INTO profiles (tenant_id, id, first_seen_at, last_seen_at)
         SELECT ?, 'prof_bench_' || g, now() - interval '30 days', now() FROM generate_series(0, ?::int - 1) g`,
        [tenantId, PROFILES],
      );
      await trx.raw(
        `INSERT INTO consents (tenant_id, profile_id, purpose, status, source, effective_at)
         SELECT ?, 'prof_bench_' || g, ?, 'granted', 'bench', now() - interval '10 days' FROM generate_series(0, ?::int - 1) g`,
        [tenantId, PURPOSE, PROFILES],
      );
    });
    targets.push({ type, tenantId, destinationId: created.destinationId, settings, credentials });
  }
  await db.raw('ANALYZE');
  return targets;
}

/** `count` events of `tenantId` happening now, with messageIds no other run uses. */
function freshEvents(tenantId: string, label: string, count: number): ResolvedEvent[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    ...exampleRecords['events.resolved'],
    tenantId,
    messageId: `${label}-${String(i).padStart(6, '0')}`,
    profileId: `prof_bench_${i % PROFILES}`,
    timestamp: now - 60_000 + (i % 1000),
    originalTimestamp: now - 60_100,
    sentAt: now - 50_000,
    receivedAt: now - 50_000,
    validatedAt: now - 49_990,
    dedupedAt: now - 49_980,
    resolvedAt: now - 49_970,
  }));
}

// ---------------------------------------------------------------------------------------------
// The two variants.

/** Counts of results, by kind (and reason or error code when not delivered). */
type Tally = Record<string, number>;
const bump = (t: Tally, key: string) => (t[key] = (t[key] ?? 0) + 1);
const keyOf = (r: ItemResult): string =>
  r.kind === 'delivered' || r.kind === 'already_delivered' ? r.kind : r.kind === 'held' ? 'held' : r.kind === 'skipped' || r.kind === 'deferred' ? `${r.kind}:${r.reason}` : `${r.kind}:${r.error.code}`;

type Deliver = (events: readonly ResolvedEvent[], tally: Tally) => Promise<void>;

function engineVariant(engine: DeliveryEngine, destinations: LiveDestinations, target: Target): Deliver {
  return async (events, tally) => {
    const [destination] = await destinations.forTenant(target.tenantId);
    if (destination === undefined) throw new Error(`no live destination for ${target.type}`);
    const items: WorkItem[] = events.map((event, index) => ({ index, destination, event, attempt: 1, firstAttemptAt: null, replayOf: null, backfill: false, originTopic: 'events.resolved' }));
    for (const p of await engine(items)) bump(tally, keyOf(p.result));
  };
}

/**
 * The same adapter calls and the same sender, without the engine. With `lane`, each request goes
 * through the destination's DestinationLane (breaker + token bucket) as the engine sends it: the
 * `lane` analysis variant, which splits the engine's overhead into the lane's share and the rest
 * (ledger, profiles read, gate, result planning).
 */
function bareVariant(sender: HttpSender, target: Target, lane: (() => Promise<LiveDestination>) | null): Deliver {
  const adapter = ADAPTERS[target.type];
  if (adapter.kind !== 'batch') throw new Error(`${target.type} is not a batch adapter`);
  const config = adapter.parseConfig({ settings: target.settings, credentials: target.credentials });
  const guard = target.type === 'webhook' ? GUARD : null;
  return async (events, tally) => {
    const destination = lane === null ? null : await lane();
    const prepared = [];
    for (const event of events) {
      const p = adapter.prepare(event, config, { destinationId: target.destinationId, now: Date.now() });
      if (p.kind === 'prepared') prepared.push(p);
      else bump(tally, `skip:${p.reason}`);
    }
    const requests = adapter.buildRequests(prepared, config, { now: Date.now() });
    await pool(requests, CONCURRENCY, async (request: HttpRequest) => {
      const classify = (result: HttpResult) => adapter.classify(result, request, { now: Date.now() });
      let c: Classification;
      if (destination === null) c = classify(await sender.send(request, { timeoutMs: LANE.timeoutMs, guard }));
      else {
        const exchange = await destination.lane.exchange(request, classify, LANE_BUDGET_MS);
        if (!exchange.sent) {
          for (let i = 0; i < request.events.length; i++) bump(tally, `not_sent:${exchange.code}`);
          return;
        }
        c = exchange.classification;
      }
      for (let i = 0; i < request.events.length; i++) bump(tally, c.outcome === 'delivered' ? 'delivered' : `${c.outcome}:${c.error?.code ?? '?'}`);
    });
  };
}

/** Runs `work` over `inputs` with at most `concurrency` at once (as the engine's lanes do). */
async function pool<T>(inputs: readonly T[], concurrency: number, work: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) await work(inputs[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
}

// ---------------------------------------------------------------------------------------------
// One run.

interface Run {
  type: string;
  variant: Variant;
  round: number;
  events: number;
  seconds: number;
  rate: number;
  chunkMs: { p50: number; max: number };
  /** Share of one core: this process (process.cpuUsage), all postgres processes (/proc), the mock (the bench process). */
  cpu: { driver: number; postgres: number; mock: number };
  /** This process's CPU per delivered event, µs. */
  driverUsPerEvent: number;
  results: Tally;
  ledgerRows: number;
  /** Statements the run sent to PostgreSQL (ledger count queries around it excluded). */
  statements: number;
  /** Client-side time in those statements per chunk (summed over concurrent ones), ms. */
  statementMsPerChunk: number;
  /** Per kind of statement: how many per chunk and their client time per chunk (ms). */
  statementsByKind: Record<string, { perChunk: number; msPerChunk: number }>;
  mock: MockCounts;
}

/** Statements sent to PostgreSQL (BEGIN and COMMIT included) and their client-side time, by kind. */
const statements = { count: 0, ms: 0, byKind: new Map<string, { n: number; ms: number }>() };
const STATEMENT_KINDS: Array<[string, RegExp]> = [
  ['BEGIN', /^BEGIN/i],
  ['COMMIT', /^COMMIT/i],
  ['ROLLBACK', /^ROLLBACK/i],
  ['set_config (tenant scope)', /^SELECT set_config/],
  ['ledger lookup', /JOIN delivery_ledger/],
  ['ledger insert', /^INSERT INTO delivery_ledger/],
  ['profiles read', /LEFT JOIN profiles/],
  ['consents read', /FROM consents/],
  ['destinations refresh', /destinations/],
];
const kindOf = (sql: string) => STATEMENT_KINDS.find(([, re]) => re.test(sql.trim()))?.[0] ?? 'other';
/** Times every statement from the client: pg's Client#query, as knex calls it (with a callback; BEGIN and COMMIT too). */
function countStatements(db: Db): void {
  const pg = (db.client as { driver: { Client: { prototype: Record<string, unknown> } } }).driver;
  const proto = pg.Client.prototype;
  const original = proto.query as (this: unknown, config: unknown, ...rest: unknown[]) => unknown;
  proto.query = function (this: unknown, config: unknown, ...rest: unknown[]) {
    const sql = typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? '');
    const callback = rest[rest.length - 1];
    if (typeof callback !== 'function' || !sql) return original.call(this, config, ...rest);
    const kind = kindOf(sql);
    const started = performance.now();
    const done = (err: unknown, res: unknown) => {
      const ms = performance.now() - started;
      statements.count++;
      statements.ms += ms;
      const k = statements.byKind.get(kind) ?? { n: 0, ms: 0 };
      k.n++;
      k.ms += ms;
      statements.byKind.set(kind, k);
      (callback as (e: unknown, r: unknown) => void)(err, res);
    };
    return original.call(this, config, ...rest.slice(0, -1), done);
  };
}

const ledgerCount = async (db: Db, destinationId: string): Promise<number> =>
  Number(((await db.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM delivery_ledger WHERE destination_id = ?', [destinationId])).rows[0]!).n);

async function run(db: Db, target: Target, variant: Variant, deliver: Deliver, round: number, count: number): Promise<Run> {
  const events = freshEvents(target.tenantId, `${target.type}-${variant}-${round < 0 ? 'warmup' : `r${round}`}-${Date.now().toString(36)}`, count);
  const chunks: ResolvedEvent[][] = [];
  for (let i = 0; i < events.length; i += CHUNK) chunks.push(events.slice(i, i + CHUNK));
  const ledgerBefore = await ledgerCount(db, target.destinationId);
  // Statistics as a ledger in steady state has them (the ledger lookup's plan depends on them:
  // BENCHMARKS.md, Delivery).
  await db.raw('ANALYZE delivery_ledger');
  await sync({ phase: 'start', type: target.type, variant, round });
  const tally: Tally = {};
  const chunkMs: number[] = [];
  const statementsBefore = { count: statements.count, ms: statements.ms, byKind: new Map([...statements.byKind].map(([k, v]) => [k, { ...v }])) };
  const a = sampleCpu();
  for (const chunk of chunks) {
    const t = performance.now();
    await deliver(chunk, tally);
    chunkMs.push(performance.now() - t);
  }
  const b = sampleCpu();
  const sql = { statements: statements.count - statementsBefore.count, ms: statements.ms - statementsBefore.ms };
  const byKind: Record<string, { perChunk: number; msPerChunk: number }> = {};
  for (const [kind, v] of statements.byKind) {
    const before = statementsBefore.byKind.get(kind) ?? { n: 0, ms: 0 };
    if (v.n > before.n) byKind[kind] = { perChunk: Number(((v.n - before.n) / chunks.length).toFixed(2)), msPerChunk: Number(((v.ms - before.ms) / chunks.length).toFixed(2)) };
  }
  const mock = await sync<MockCounts>({ phase: 'done', type: target.type, variant, round });
  const seconds = (b.at - a.at) / 1000;
  const selfSeconds = (b.self.user - a.self.user + b.self.system - a.self.system) / 1e6;
  const sorted = chunkMs.slice().sort((x, y) => x - y);
  const delivered = tally.delivered ?? 0;
  return {
    type: target.type,
    variant,
    round,
    events: count,
    seconds,
    rate: delivered / seconds,
    chunkMs: { p50: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(1)), max: Number(sorted.at(-1)!.toFixed(1)) },
    cpu: { driver: selfSeconds / seconds, postgres: (b.postgres - a.postgres) / TICKS_PER_SECOND / seconds, mock: mock.cpu },
    driverUsPerEvent: (selfSeconds * 1e6) / Math.max(1, delivered),
    results: tally,
    ledgerRows: (await ledgerCount(db, target.destinationId)) - ledgerBefore,
    statements: sql.statements,
    statementMsPerChunk: Number((sql.ms / chunks.length).toFixed(1)),
    statementsByKind: byKind,
    mock,
  };
}

// ---------------------------------------------------------------------------------------------

const server = await startTestPostgres({ env: { DATABASE_URL } });
let failed = false;
let db: Db | null = null;
let dropped: Promise<void> | null = null;
const drop = () =>
  (dropped ??= (async () => {
    await db?.destroy().catch(() => undefined);
    await server.stop();
  })());
const onSignal = (signal: NodeJS.Signals) => {
  log(`${signal}: dropping the bench database and exiting`);
  void drop().finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

const sender = createHttpSender(CONCURRENCY);
let destinations: LiveDestinations | null = null;
try {
  const database = await server.newDatabase();
  db = createDb(database.url, { applicationName: 'stratum-bench-delivery' });
  await migrateToLatest(db);
  countStatements(db);
  const targets = await setUp(db);
  log(`created database ${database.name} (migrated): ${targets.map((t) => `${t.type} → tenant ${t.tenantId}`).join(', ')}; ${PROFILES} profiles with ${PURPOSE} granted per tenant`);
  destinations = new LiveDestinations({
    db,
    keyring,
    sender,
    lane: LANE,
    defaults: { maxAttempts: 8, maxAgeSeconds: 4 * 3600 },
    guard: GUARD,
    ttlMs: 5_000,
    logger: silentLogger(),
    onBreaker: (d, state) => log(`circuit breaker of ${d.type} ${state}`),
  });
  const engine = createDeliveryEngine({ db, tiers: retryTiers(undefined), laneBudgetMs: LANE_BUDGET_MS, laneConcurrency: CONCURRENCY });
  const liveOf = (t: Target) => async () => (await destinations!.forTenant(t.tenantId))[0]!;
  const variants = new Map(targets.map((t) => [t.type, { engine: engineVariant(engine, destinations!, t), lane: bareVariant(sender, t, liveOf(t)), bare: bareVariant(sender, t, null) }]));

  const once = async (target: Target, variant: Variant, round: number, count: number): Promise<Run> => {
    const r = await run(db!, target, variant, variants.get(target.type)![variant], round, count);
    const others = Object.entries(r.results).filter(([k]) => k !== 'delivered');
    const wrong = (r.results.delivered ?? 0) !== count || r.mock.events !== count || r.mock.duplicates !== 0 || r.mock.rejected !== 0 || (variant === 'engine' && r.ledgerRows !== count);
    if (wrong) failed = true;
    log(
      `${round < 0 ? 'warm-up' : `round ${round + 1}`}: ${target.type} ${variant} ${Math.round(r.rate)} deliveries/s (${r.seconds.toFixed(2)} s; CPU driver ${Math.round(r.cpu.driver * 100)}%, postgres ${Math.round(r.cpu.postgres * 100)}%, mock ${Math.round(r.cpu.mock * 100)}%); ` +
        `ledger +${r.ledgerRows}, ${r.statements} SQL statements; mock: ${r.mock.events} events, ${r.mock.duplicates} duplicates, ${r.mock.rejected} rejected, ${r.mock.requests} requests${others.length > 0 ? `; not delivered: ${others.map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}${wrong ? ' — MISMATCH' : ''}`,
    );
    return r;
  };

  const warmup: Run[] = [];
  if (WARMUP > 0) for (const t of targets) for (const v of ONLY) warmup.push(await once(t, v, -1, WARMUP));
  const runs: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which variant goes first (with three: rotate).
    const order = ONLY.map((_, i) => ONLY[(i + round) % ONLY.length]!);
    for (const t of targets) for (const v of order) runs.push(await once(t, v, round, COUNT));
  }
  const ledgerTotal = Number(((await db.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM delivery_ledger')).rows[0]!).n);
  process.stdout.write(`RESULT ${JSON.stringify({ count: COUNT, rounds: ROUNDS, chunk: CHUNK, concurrency: CONCURRENCY, warmupEvents: WARMUP, profiles: PROFILES, lane: LANE, laneBudgetMs: LANE_BUDGET_MS, ledgerTotal, warmup, runs })}\n`);
} catch (err) {
  failed = true;
  log(`bench driver failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  destinations?.close();
  sender.close();
  stdinLines.close();
  process.stdin.destroy();
  await drop().catch((err: unknown) => log(`could not drop the bench database: ${String(err)}`));
}
if (failed) process.exitCode = 1;
