/**
 * The stage side of `pnpm bench dedup` (bench/dedup/dedup.ts starts the broker and registry and
 * runs this as a child process: bench code may not import a service). Fills one events.valid
 * topic once, with 15% repeats of earlier messageIds (most within the next ~2,000 records, as SDK
 * retries land; some far later), creates a fresh PostgreSQL database for the claims, then runs in
 * this process, on the runtime (startStage), alternating per round over that same input with a
 * fresh group and fresh outputs each time:
 *   a. pass-through, at-least-once (valid → valid, one ok() step): the baseline;
 *   b. the same pass-through with exactly-once delivery: what the Kafka transactions cost alone;
 *   c. dedup (in-memory directory, claims in PostgreSQL, a fresh 200,000-entry front cache).
 * Exactly-once outputs hold transaction markers, so progress is read from the group's committed
 * input offsets, not from output end offsets. After each dedup run, the output is read to its end
 * with a read_committed consumer and must hold every distinct id exactly once. Prints one
 * `RESULT <json>` line on stdout (progress on stderr); exits non-zero on a mismatch.
 *
 * Environment: BENCH_BROKERS, BENCH_REGISTRY_URL (required), BENCH_COUNT (50000), BENCH_ROUNDS (3),
 * BENCH_PARTITIONS (6), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres: a
 * database `stratum_test_<hex>` is created there and dropped at the end), BENCH_CACHE_ENTRIES
 * (200000), BENCH_BROKER_PID (optional: the broker's CPU is reported per run). For analysis only
 * (defaults reproduce the recorded runs): BENCH_BATCH_SIZE (500) and BENCH_CONCURRENCY
 * (partitionsConsumedConcurrently, 4: dedup's default STAGE_CONCURRENT_PARTITIONS) apply to every variant; BENCH_ONLY (e.g. `dedup` or
 * `pt,dedup`) runs a subset of the variants; BENCH_PREFILL_CLAIMS (0) puts that many claims of
 * another tenant in today's partition and ANALYZEs it before each dedup run, as a day partition
 * looks in steady state (not empty, with statistics).
 */
import { readdirSync, readFileSync } from 'node:fs';
import kafkajs, { type Kafka } from 'kafkajs';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { createMetricsRegistry, createStageMetrics, silentLogger, type StageMetrics } from '@stratum/observability';
import { confluentRegistryClient, createSerde, exampleRecords, type ValidEvent } from '@stratum/schemas';
import { defineStage, ok, pipeline, recordStep, startStage, type OutputSchemas, type StageDefinition } from '@stratum/stream';
import { inMemoryDirectory, sourceSettings } from '@stratum/tenancy';
import { startTestPostgres, testKafkaClient } from '@stratum/testing';
import { createClaimStore, utcDay, type ClaimStore } from '../src/claims/claim-store';
import { ensureDayPartitions } from '../src/claims/day-partitions';
import { FrontCache } from '../src/claims/front-cache';
import { NO_DEDUP_METRICS, type DedupMetrics } from '../src/metrics';
import { dedupStage } from '../src/pipeline';

const { Partitioners } = kafkajs;

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const brokers = env('BENCH_BROKERS').split(',');
const registryUrl = env('BENCH_REGISTRY_URL');
const COUNT = Number(env('BENCH_COUNT', '50000'));
const ROUNDS = Number(env('BENCH_ROUNDS', '3'));
const PARTITIONS = Number(env('BENCH_PARTITIONS', '6'));
const DATABASE_URL = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const CACHE_ENTRIES = Number(env('BENCH_CACHE_ENTRIES', '200000'));
const BROKER_PID = process.env.BENCH_BROKER_PID;
const BATCH_SIZE = Number(env('BENCH_BATCH_SIZE', '500'));
const CONCURRENCY = Number(env('BENCH_CONCURRENCY', '4'));
const ONLY = new Set(env('BENCH_ONLY', 'pt,pteos,dedup').split(','));
const PREFILL_CLAIMS = Number(env('BENCH_PREFILL_CLAIMS', '0'));
const profiling = process.execArgv.some((a) => a.startsWith('--cpu-prof'));
const REPEAT_SHARE = 0.15;
/** Share of repeats that land soon after their first copy (SDK retries); the rest come far later. */
const NEAR_SHARE = 0.8;
const NEAR_RECORDS = 2_000;
const FAR_RECORDS = 10_000;
const DEFAULT_WINDOW_SECONDS = 7 * 86_400;

const log = (line: string) => process.stderr.write(`${line}\n`);
const example = exampleRecords['events.valid'];
const stamp = Date.now();

// ---------------------------------------------------------------------------------------------
// The input: COUNT records of which REPEAT_SHARE are copies of earlier ids (deterministic).

/** mulberry32: a small seeded generator, so every run writes the same input. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface InputPlan {
  /** The id each record carries, in produce order. */
  ids: number[];
  distinct: number;
  nearRepeats: number;
  farRepeats: number;
}

function planInput(): InputPlan {
  const random = seeded(20261124);
  const repeats = Math.round(COUNT * REPEAT_SHARE);
  // Which positions are repeats: a partial Fisher-Yates over [1, COUNT).
  const positions = Array.from({ length: COUNT - 1 }, (_, i) => i + 1);
  for (let i = 0; i < repeats; i++) {
    const j = i + Math.floor(random() * (positions.length - i));
    [positions[i], positions[j]] = [positions[j]!, positions[i]!];
  }
  const isRepeat = new Set(positions.slice(0, repeats));
  const ids: number[] = [];
  /** Position in the input of each first copy, by id (ids are numbered in order of first appearance). */
  const firstAt: number[] = [];
  let nearRepeats = 0;
  let farRepeats = 0;
  // The first id whose first copy lies within the last `records` positions of `at`.
  const firstIdSince = (at: number, records: number) => {
    let lo = 0;
    let hi = firstAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (firstAt[mid]! < at - records) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let at = 0; at < COUNT; at++) {
    if (!isRepeat.has(at)) {
      firstAt.push(at);
      ids.push(firstAt.length - 1);
      continue;
    }
    const farEnd = firstIdSince(at, FAR_RECORDS); // ids [0, farEnd) were first seen ≥ FAR_RECORDS ago
    if (random() < NEAR_SHARE || farEnd === 0) {
      const from = firstIdSince(at, NEAR_RECORDS);
      ids.push(from + Math.floor(random() * (firstAt.length - from)));
      nearRepeats++;
    } else {
      ids.push(Math.floor(random() * farEnd));
      farRepeats++;
    }
  }
  return { ids, distinct: firstAt.length, nearRepeats, farRepeats };
}

const avgMs = (xs: readonly number[]) => (xs.length === 0 ? '–' : (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1));
const messageIdOf = (id: number) => `msg-${String(id).padStart(7, '0')}`;
const eventOf = (id: number): ValidEvent => ({ ...example, messageId: messageIdOf(id), userId: `user-${id % 5000}`, anonymousId: `anon-${id % 5000}` });

// ---------------------------------------------------------------------------------------------
// Kafka, the registry, PostgreSQL.

const kafka: Kafka = testKafkaClient(brokers, 'bench-dedup');
const admin = kafka.admin();
const registry = confluentRegistryClient(registryUrl);

async function fillInput(plan: InputPlan): Promise<{ topic: string; bytes: number }> {
  const topic = `bench-dedup-in-${stamp}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
  const serde = await createSerde(registry, 'events.valid', 'events.valid-value');
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < COUNT; i += 1000) {
      const messages = plan.ids.slice(i, i + 1000).map((id) => {
        const e = eventOf(id);
        // Keyed as ingest keys events.valid: every copy of an id lands on the same partition.
        return { key: `${e.tenantId}:${e.messageId}`, value: serde.encode(e) };
      });
      await producer.send({ topic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
  const end = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  if (end !== COUNT) throw new Error(`the input holds ${end} records, expected ${COUNT}`);
  return { topic, bytes: serde.encode(eventOf(0)).length };
}

interface BenchDatabase {
  db: Db;
  drop(): Promise<void>;
}

/** A fresh database on BENCH_DATABASE_URL's server, through the test harness (created, and dropped with FORCE by stop()). */
async function createBenchDatabase(): Promise<BenchDatabase> {
  const server = await startTestPostgres({ env: { DATABASE_URL } });
  const { name, url } = await server.newDatabase();
  const db = createDb(url, { applicationName: 'stratum-bench-dedup' });
  let dropped: Promise<void> | null = null;
  const drop = () =>
    (dropped ??= (async () => {
      await db.destroy().catch(() => undefined);
      await server.stop();
      log(`dropped database ${name}`);
    })());
  try {
    await migrateToLatest(db);
    await ensureDayPartitions(db, { today: utcDay(Date.now()), daysAhead: 2 });
  } catch (err) {
    await drop();
    throw err;
  }
  log(`created database ${name} (migrated, day partitions ready)`);
  return { db, drop };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): this process, the broker, and every postgres process.

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
  broker: number;
  postgres: number;
}

const sampleCpu = (): CpuSample => ({ at: performance.now(), self: process.cpuUsage(), broker: BROKER_PID ? cpuTicksOf(BROKER_PID) : 0, postgres: postgresTicks() });

/** Share of one core each used between two samples. */
function cpuBetween(a: CpuSample, b: CpuSample): { stage: number; broker: number | null; postgres: number } {
  const seconds = (b.at - a.at) / 1000;
  const self = (b.self.user - a.self.user + b.self.system - a.self.system) / 1e6;
  return {
    stage: self / seconds,
    broker: BROKER_PID ? (b.broker - a.broker) / TICKS_PER_SECOND / seconds : null,
    postgres: (b.postgres - a.postgres) / TICKS_PER_SECOND / seconds,
  };
}

// ---------------------------------------------------------------------------------------------
// The stages.

const passThroughOf = (delivery: 'at-least-once' | 'exactly-once') =>
  defineStage({
    name: delivery === 'exactly-once' ? 'pass-through-eos' : 'pass-through',
    input: 'events.valid',
    outputs: { valid: 'events.valid', invalid: 'events.invalid' },
    quarantine: 'invalid',
    delivery,
    pipeline: pipeline<ValidEvent>().then(recordStep('pass', (e: ValidEvent) => ok(e))),
    emit: (e) => [{ output: 'valid', key: `${e.tenantId}:${e.messageId}`, value: e }],
  });

const directory = inMemoryDirectory([{ settings: sourceSettings({ tenantId: example.tenantId, sourceId: example.sourceId }), writeKeys: [] }]);

/** Where a dedup run's time went: claim statements (PostgreSQL) and the front cache. */
interface ClaimTally {
  statements: number;
  statementSeconds: number;
  /** Milliseconds of each claim statement, in order (to see whether they grow with the table). */
  statementMs: number[];
  cacheHits: number;
  cacheMisses: number;
}

function tallyingDedupMetrics(tally: ClaimTally): DedupMetrics {
  return {
    ...NO_DEDUP_METRICS,
    observeClaimLookup(seconds) {
      tally.statements++;
      tally.statementSeconds += seconds;
      tally.statementMs.push(seconds * 1000);
    },
    countCacheLookups(hits, misses) {
      tally.cacheHits += hits;
      tally.cacheMisses += misses;
    },
  };
}

/** Store wrapper that counts keys sent to PostgreSQL per statement. */
function countingStore(store: ClaimStore, counts: { keys: number; created: number }): ClaimStore {
  return {
    async claim(requests) {
      const claims = await store.claim(requests);
      counts.keys += requests.length;
      counts.created += claims.filter((c) => c.created).length;
      return claims;
    },
  };
}

/** How dedup_claims' day partitions were read, from PostgreSQL's cumulative statistics. */
interface ScanCounts {
  seqScans: number;
  seqRowsRead: number;
  indexScans: number;
}

async function claimScans(db: Db): Promise<ScanCounts> {
  // Backends flush their statistics at most once a second; this also makes sure ours are out.
  await new Promise((r) => setTimeout(r, 1_500));
  const { rows } = await db.raw<{ rows: { seq: string | null; seq_read: string | null; idx: string | null }[] }>(
    `SELECT sum(seq_scan) AS seq, sum(seq_tup_read) AS seq_read, sum(idx_scan) AS idx FROM pg_stat_user_tables WHERE relname LIKE 'dedup\\_claims\\_%'`,
  );
  const r = rows[0]!;
  return { seqScans: Number(r.seq ?? 0), seqRowsRead: Number(r.seq_read ?? 0), indexScans: Number(r.idx ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// One run.

interface Run {
  /** Input records/s from the first observed commit progress to the last commit (group join not counted). */
  rate: number;
  /** Seconds from starting the stage to the last commit. */
  totalSeconds: number;
  /** Seconds from the first observed commit progress to the last. */
  measuredSeconds: number;
  chunks: number;
  /** Sum of chunk times (steps + delivery: produce and commit / transaction), seconds. */
  chunkSeconds: number;
  /** Share of one core used by this process, the broker and PostgreSQL over the measured interval. */
  cpu: { stage: number; broker: number | null; postgres: number };
  outcomes: Record<string, number>;
}

interface DedupRun extends Run {
  /** Unique events/s: rate × distinct / COUNT. */
  uniqueRate: number;
  claims: Omit<ClaimTally, 'statementMs'> & { firstStatementsMs: number; lastStatementsMs: number; keys: number; created: number };
  /** Scans of the claim partitions during the run (pg_stat_user_tables deltas, summed over the day partitions). */
  scans: ScanCounts;
  /** Records in the output (read_committed, to its end), distinct messageIds in it, and whether that is exactly the expected set. */
  output: { records: number; distinct: number; copies: number; verdict: 'ok' | 'mismatch'; detail?: string };
}

async function committedOnInput(groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
}

/** Outcome counts of a run, from the stage's own records-out counter. */
async function outcomesOf(metricsRegistry: ReturnType<typeof createMetricsRegistry>): Promise<Record<string, number>> {
  const metric = metricsRegistry.getSingleMetric('stratum_stage_records_out_total');
  const out: Record<string, number> = {};
  if (!metric) return out;
  for (const v of (await metric.get()).values) {
    if (v.value === 0) continue;
    const { outcome, reason, output } = v.labels as Record<string, string>;
    const key = outcome === 'ok' ? `ok:${output}` : `${outcome}:${reason}`;
    out[key] = (out[key] ?? 0) + v.value;
  }
  return out;
}

async function runVariant<O extends OutputSchemas, V>(
  label: string,
  stage: StageDefinition<'events.valid', O, V>,
  input: string,
  outputs: { [K in keyof O]: string },
  round: number,
): Promise<Run & { groupId: string }> {
  await admin.createTopics({ topics: Object.values<string>(outputs).map((topic) => ({ topic, numPartitions: PARTITIONS })) });
  const metricsRegistry = createMetricsRegistry({ service: 'bench', version: '0', processMetrics: false });
  const stageMetrics = createStageMetrics(metricsRegistry, { stage: label });
  const chunkTally = { chunks: 0, seconds: 0 };
  const metrics: StageMetrics = {
    ...stageMetrics,
    observeBatchDuration(seconds) {
      chunkTally.chunks++;
      chunkTally.seconds += seconds;
      stageMetrics.observeBatchDuration(seconds);
    },
  };
  const groupId = `bench-${label}-${round}-${stamp}`;
  const started = performance.now();
  const running = await startStage(stage, {
    kafka: { brokers, clientId: `bench-${label}` },
    registryUrl,
    groupId,
    topics: { input, outputs },
    logger: silentLogger(),
    metrics,
    batchSize: BATCH_SIZE,
    partitionsConsumedConcurrently: CONCURRENCY,
  });
  let crashed: unknown = null;
  running.done.catch((err: unknown) => (crashed = err));
  let first: { count: number; cpu: CpuSample; chunks: number; chunkSeconds: number; hrtime: bigint } | null = null;
  try {
    for (;;) {
      if (crashed) throw crashed;
      const n = await committedOnInput(groupId, input);
      if (n > 0 && !first) first = { count: n, cpu: sampleCpu(), chunks: chunkTally.chunks, chunkSeconds: chunkTally.seconds, hrtime: process.hrtime.bigint() };
      if (n >= COUNT) {
        const last = sampleCpu();
        // Under --cpu-prof: the measured interval on the profile's clock (CLOCK_MONOTONIC, µs), to cut the profile to it.
        if (profiling) log(`profile window ${label} round ${round + 1}: ${first!.hrtime / 1000n} ${process.hrtime.bigint() / 1000n}`);
        const f = first!;
        const measuredSeconds = Math.max(0.001, (last.at - f.cpu.at) / 1000);
        return {
          groupId,
          rate: (n - f.count) / measuredSeconds,
          totalSeconds: (last.at - started) / 1000,
          measuredSeconds,
          chunks: chunkTally.chunks - f.chunks,
          chunkSeconds: chunkTally.seconds - f.chunkSeconds,
          cpu: cpuBetween(f.cpu, last),
          outcomes: await outcomesOf(metricsRegistry),
        };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await running.stop();
  }
}

/**
 * Reads `topic` to its end with a read_committed consumer (kafkajs's default): a tombstone end
 * marker goes to every partition after the writers stopped, and each partition is read until its
 * marker. Returns how many times each messageId appeared.
 */
async function readToEnd(topic: string): Promise<Map<string, number>> {
  const serde = await createSerde(registry, 'events.unique', `${topic}-value`);
  const partitions = (await admin.fetchTopicOffsets(topic)).map((p) => p.partition);
  const marker = `__end__:${stamp}:${topic}`;
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: partitions.map((partition) => ({ key: marker, value: null, partition })) });
  await producer.disconnect();
  const seen = new Map<string, number>();
  const ended = new Set<number>();
  const consumer = kafka.consumer({ groupId: `bench-verify-${topic}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  let finish: (err?: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => (finish = (err) => (err ? reject(err) : resolve())));
  const timer = setTimeout(() => finish(new Error(`reading ${topic} to its end timed out (${ended.size}/${partitions.length} partitions ended)`)), 300_000);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          if (m.key?.toString() === marker) {
            ended.add(batch.partition);
            continue;
          }
          if (m.value === null) continue;
          const e = await serde.decode(m.value);
          seen.set(e.messageId, (seen.get(e.messageId) ?? 0) + 1);
        }
        if (ended.size === partitions.length) finish();
      },
    });
    await finished;
    return seen;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

function verify(seen: Map<string, number>, expected: ReadonlySet<string>): DedupRun['output'] {
  let records = 0;
  let copies = 0;
  let unexpected = 0;
  for (const [id, n] of seen) {
    records += n;
    copies += n - 1;
    if (!expected.has(id)) unexpected++;
  }
  const missing = [...expected].filter((id) => !seen.has(id)).length;
  const verdict = copies === 0 && missing === 0 && unexpected === 0 ? 'ok' : 'mismatch';
  return { records, distinct: seen.size, copies, verdict, ...(verdict === 'ok' ? {} : { detail: `${copies} copies, ${missing} ids missing, ${unexpected} unexpected ids` }) };
}

// ---------------------------------------------------------------------------------------------

let database: BenchDatabase | null = null;
const onSignal = (signal: NodeJS.Signals) => {
  log(`${signal}: dropping the bench database and exiting`);
  void (database?.drop() ?? Promise.resolve()).finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

let failed = false;
try {
  await admin.connect();
  const plan = planInput();
  const expected = new Set(plan.ids.map(messageIdOf));
  if (expected.size !== plan.distinct) throw new Error(`planned ${plan.distinct} distinct ids, found ${expected.size}`);
  log(`input: ${COUNT} records, ${plan.distinct} distinct ids, ${COUNT - plan.distinct} repeats (${plan.nearRepeats} within ${NEAR_RECORDS} records, ${plan.farRepeats} ≥ ${FAR_RECORDS} records later)`);
  const { topic: input, bytes } = await fillInput(plan);
  database = await createBenchDatabase();
  const { db } = database;

  const results: { passThrough: Run[]; passThroughEos: Run[]; dedup: DedupRun[] } = { passThrough: [], passThroughEos: [], dedup: [] };
  const prefill = async () => {
    if (PREFILL_CLAIMS <= 0) return;
    await db.raw(
      `INSERT INTO dedup_claims (tenant_id, message_id, day, first_seen, topic, "partition", "offset")
       SELECT 'tenant-prefill', 'prefill-' || g, (now() AT TIME ZONE 'UTC')::date, now(), 'prefill', g % 6, g FROM generate_series(1, ?::int) g`,
      [PREFILL_CLAIMS],
    );
    await db.raw('ANALYZE dedup_claims');
  };
  const outputsOf = (label: string, round: number) => ({ valid: `bench-dedup-${label}-${round}-${stamp}`, invalid: `bench-dedup-${label}-${round}-${stamp}-invalid` });
  for (let round = 0; round < ROUNDS; round++) {
    if (ONLY.has('pt')) {
      const a = await runVariant('pass-through', passThroughOf('at-least-once'), input, outputsOf('pt', round), round);
      results.passThrough.push(a);
      log(`round ${round + 1}: pass-through (at-least-once) ${Math.round(a.rate)} records/s`);
    }
    if (ONLY.has('pteos')) {
      const b = await runVariant('pass-through-eos', passThroughOf('exactly-once'), input, outputsOf('pteos', round), round);
      results.passThroughEos.push(b);
      log(`round ${round + 1}: pass-through (exactly-once) ${Math.round(b.rate)} records/s`);
    }
    if (!ONLY.has('dedup')) continue;

    // Every round sees the same work: no claims left from the previous one, and a cold front cache.
    if (round > 0) await db.raw('TRUNCATE dedup_claims');
    await prefill();
    const scansBefore = await claimScans(db);
    const tally: ClaimTally = { statements: 0, statementSeconds: 0, statementMs: [], cacheHits: 0, cacheMisses: 0 };
    const keys = { keys: 0, created: 0 };
    const stage = dedupStage({
      directory,
      store: countingStore(createClaimStore(db), keys),
      defaultWindowSeconds: DEFAULT_WINDOW_SECONDS,
      cache: new FrontCache(CACHE_ENTRIES),
      metrics: tallyingDedupMetrics(tally),
    });
    const dedupTopics = { unique: `bench-dedup-unique-${round}-${stamp}`, invalid: `bench-dedup-unique-${round}-${stamp}-invalid` };
    const c = await runVariant('dedup', stage, input, dedupTopics, round);
    const output = verify(await readToEnd(dedupTopics.unique), expected);
    const scansAfter = await claimScans(db);
    const scans = { seqScans: scansAfter.seqScans - scansBefore.seqScans, seqRowsRead: scansAfter.seqRowsRead - scansBefore.seqRowsRead, indexScans: scansAfter.indexScans - scansBefore.indexScans };
    if (output.verdict !== 'ok') failed = true;
    results.dedup.push({ ...c, uniqueRate: (c.rate * plan.distinct) / COUNT, claims: { statements: tally.statements, statementSeconds: tally.statementSeconds, firstStatementsMs: Number(avgMs(tally.statementMs.slice(0, 10))), lastStatementsMs: Number(avgMs(tally.statementMs.slice(-10))), cacheHits: tally.cacheHits, cacheMisses: tally.cacheMisses, ...keys }, scans, output });
    log(
      `round ${round + 1}: dedup ${Math.round(c.rate)} records/s, ${Math.round((c.rate * plan.distinct) / COUNT)} unique events/s; ` +
        `${tally.statements} claim statements, ${(tally.statementSeconds * 1000).toFixed(0)} ms in them (first 10 ${avgMs(tally.statementMs.slice(0, 10))} ms each, last 10 ${avgMs(tally.statementMs.slice(-10))}; partitions: ${scans.seqScans} seq scans reading ${scans.seqRowsRead} rows, ${scans.indexScans} index scans); output ${output.verdict}: ${output.records} records, ${output.distinct} distinct${output.detail ? ` (${output.detail})` : ''}`,
    );
  }
  process.stdout.write(
    `RESULT ${JSON.stringify({ count: COUNT, distinct: plan.distinct, nearRepeats: plan.nearRepeats, farRepeats: plan.farRepeats, partitions: PARTITIONS, bytes, cacheEntries: CACHE_ENTRIES, batchSize: BATCH_SIZE, concurrency: CONCURRENCY, prefillClaims: PREFILL_CLAIMS, ...results })}\n`,
  );
} catch (err) {
  failed = true;
  log(`bench driver failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await database?.drop().catch((err: unknown) => log(`could not drop the bench database: ${String(err)}`));
  await admin.disconnect().catch(() => undefined);
}
if (failed) {
  log('dedup output mismatch or failure: exiting non-zero');
  process.exitCode = 1;
}
