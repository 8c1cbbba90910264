/**
 * Dedup as it runs: src/main.ts as real processes, the embedded broker over TCP, PostgreSQL over a
 * real connection. Inputs carry 15% repeats — re-sent later on the same partition, on another
 * partition, and after restarts — and the processes are killed with SIGKILL at each of the
 * runtime's crash points and at arbitrary moments. The unique topic, read to its end, must hold
 * every id exactly once: the sets are compared, and any copy fails.
 */
import { join } from 'node:path';
import { type Db } from '@stratum/db';
import { exampleRecords, type UniqueEvent, type ValidEvent } from '@stratum/schemas';
import { provisionTenant } from '@stratum/tenancy';
import {
  collectRecords,
  collectToEnd,
  metricsUrlFrom,
  produceRecords,
  spawnTsProcess,
  uniqueName,
  useTestStack,
  waitFor,
  type CollectedRecord,
  type TestDatabase,
  type TsProcess,
} from '@stratum/testing';
import { useMigratedDatabase } from '@stratum/db/testing';

jest.setTimeout(240_000);
const stack = useTestStack();
const migrated = useMigratedDatabase();
let database: TestDatabase;
let db: Db;
beforeAll(() => ({ db, database } = migrated));

interface Topics {
  valid: string;
  unique: string;
  invalid: string;
}

const PARTITIONS = 6;

async function dedupTopics(): Promise<Topics> {
  const topics = { valid: uniqueName('valid'), unique: uniqueName('unique'), invalid: uniqueName('invalid') };
  await stack.admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: PARTITIONS })) });
  stack.onStop(() => stack.admin.deleteTopics({ topics: Object.values(topics) }));
  return topics;
}

function startDedup(topics: Topics, group: string, env: Record<string, string> = {}): TsProcess {
  return spawnTsProcess(join(__dirname, '..', 'src', 'main.ts'), {
    KAFKA_BROKERS: stack.brokers.join(','),
    KAFKA_CLIENT_ID: 'dedup',
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    SERVICE_NAME: 'dedup',
    LOG_LEVEL: 'info',
    METRICS_PORT: '0',
    STAGE_GROUP_ID: group,
    STAGE_BATCH_SIZE: '100',
    STAGE_SESSION_TIMEOUT_MS: '6000',
    DATABASE_URL: database.url,
    DEDUP_INPUT_TOPIC: topics.valid,
    DEDUP_OUTPUT_TOPIC: topics.unique,
    DEDUP_INVALID_TOPIC: topics.invalid,
    ...env,
  });
}

async function up(p: TsProcess): Promise<void> {
  await waitFor(() => metricsUrlFrom(p.stdout()) !== null || p.child.exitCode !== null, { timeoutMs: 30_000, what: 'dedup to start' });
  if (p.child.exitCode !== null) throw new Error(`dedup exited ${p.child.exitCode}: ${p.stderr()}`);
}

const TENANT = 'tenant-a';
const event = (i: number, tenantId = TENANT): ValidEvent => ({
  ...exampleRecords['events.valid'],
  tenantId,
  messageId: `msg-${String(i).padStart(6, '0')}`,
  anonymousId: `anon-${i % 97}`,
});

/** Sends events keyed as ingest keys them; `partition` overrides (a copy landing elsewhere). */
async function send(topic: string, events: ReadonlyArray<{ event: ValidEvent; partition?: number }>): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const records = events.slice(i, i + 500).map(({ event: value, partition }) => ({ key: `${value.tenantId}:${value.messageId}`, value, ...(partition === undefined ? {} : { partition }) }));
    await produceRecords(stack, { topic, schema: 'events.valid', records });
  }
}

/** Repeats of `ids`: half on the partition ingest would choose, half forced onto another one. */
const repeatsOf = (ids: readonly number[]) => ids.map((id, n) => ({ event: event(id), ...(n % 2 === 0 ? {} : { partition: (id + n) % PARTITIONS }) }));

/** `count` distinct ids from [from, to), spread out. */
const pick = (from: number, to: number, count: number) => Array.from({ length: count }, (_, n) => from + Math.floor((n * (to - from)) / count));

/** Offsets written to the unique topic, committed or not: a progress signal for timing kills. */
async function uniqueOffsets(topic: string): Promise<number> {
  return (await stack.admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
}

function expectEachIdOnce(out: readonly CollectedRecord<UniqueEvent>[], expectedIds: readonly string[]): void {
  const ids = out.map((r) => r.value!.messageId);
  const copies = ids.length - new Set(ids).size;
  expect({ copies }).toEqual({ copies: 0 });
  expect([...ids].sort()).toEqual([...expectedIds].sort());
}

it('drops every repeat and keeps every first copy through repeated SIGKILLs, exactly once', async () => {
  const topics = await dedupTopics();
  const group = uniqueName('dedup-crash');
  const firsts = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ event: event(from + i) }));

  // Phase 1: 1,500 ids and 15% repeats of them, then two processes die at the crash points.
  await send(topics.valid, [...firsts(0, 1500), ...repeatsOf(pick(0, 1500, 225))]);
  for (const failpoint of ['stage.after-steps=2', 'stage.after-produce=3']) {
    const p = startDedup(topics, group, { STAGE_FAILPOINTS: failpoint });
    await p.exit;
    expect({ failpoint, signal: p.child.signalCode }).toEqual({ failpoint, signal: 'SIGKILL' });
  }
  // Phase 2, after those restarts: 1,500 new ids, repeats of new and old ids; one kill mid-run, one after a commit.
  await send(topics.valid, [...firsts(1500, 3000), ...repeatsOf(pick(0, 3000, 225))]);
  const running = startDedup(topics, group);
  await up(running);
  const before = await uniqueOffsets(topics.unique);
  await waitFor(async () => (await uniqueOffsets(topics.unique)) >= before + 700, { timeoutMs: 60_000, what: 'progress before the kill' });
  running.child.kill('SIGKILL');
  await running.exit;
  const afterCommit = startDedup(topics, group, { STAGE_FAILPOINTS: 'stage.after-commit=4' });
  await afterCommit.exit;
  // Phase 3: repeats only, sent after all the restarts.
  await send(topics.valid, repeatsOf(pick(0, 3000, 150)));

  const last = startDedup(topics, group);
  await up(last);
  await collectRecords(stack, { topic: topics.unique, schema: 'events.unique', count: 3000, timeoutMs: 120_000 });
  const metrics = await (await fetch(metricsUrlFrom(last.stdout())!)).text();
  last.child.kill('SIGTERM');
  expect(await last.exit).toBe(0);

  const out = await collectToEnd(stack, { topic: topics.unique, schema: 'events.unique' });
  expectEachIdOnce(out, Array.from({ length: 3000 }, (_, i) => event(i).messageId));
  // The copies carry the event unchanged, stamped, keyed for identity resolution.
  const sample = out.find((r) => r.value!.messageId === event(42).messageId)!;
  expect(sample.value).toEqual({ ...event(42), dedupedAt: expect.any(Number) });
  expect(sample.key).toBe(`${TENANT}:anon-42`);
  expect(metrics).toMatch(/stratum_stage_records_out_total\{[^}]*outcome="drop"[^}]*reason="duplicate_in_window"[^}]*\} [1-9]/);
  expect(metrics).toMatch(/^stratum_dedup_state_partitions(\{[^}]*\})? [1-9]/m);
  expect(metrics).toMatch(/^stratum_dedup_claim_lookup_duration_seconds_count(\{[^}]*\})? [1-9]/m);
  expect(metrics).toMatch(/^stratum_dedup_default_window_seconds(\{[^}]*\})? 604800$/m);
});

it('two instances with a rebalance in the middle still write each id once', async () => {
  const topics = await dedupTopics();
  const group = uniqueName('dedup-rebalance');
  const ids = Array.from({ length: 2400 }, (_, i) => 10_000 + i);
  await send(topics.valid, [...ids.map((i) => ({ event: event(i) })), ...repeatsOf(pick(10_000, 12_400, 360))]);
  const a = startDedup(topics, group, { STAGE_BATCH_SIZE: '50' });
  await up(a);
  await waitFor(async () => (await uniqueOffsets(topics.unique)) >= 400, { timeoutMs: 60_000, what: '400 outputs' });
  const b = startDedup(topics, group, { STAGE_BATCH_SIZE: '50' });
  await up(b);
  await waitFor(async () => (await uniqueOffsets(topics.unique)) >= 1200, { timeoutMs: 60_000, what: '1200 outputs' });
  // More repeats while both run, then one leaves (a second rebalance).
  await send(topics.valid, repeatsOf(pick(10_000, 12_400, 120)));
  a.child.kill('SIGTERM');
  expect(await a.exit).toBe(0);
  await collectRecords(stack, { topic: topics.unique, schema: 'events.unique', count: ids.length, timeoutMs: 120_000 });
  b.child.kill('SIGTERM');
  expect(await b.exit).toBe(0);
  expectEachIdOnce(await collectToEnd(stack, { topic: topics.unique, schema: 'events.unique' }), ids.map((i) => event(i).messageId));
  expect(a.stdout()).toMatch(/joined the consumer group/);
  expect(b.stdout()).toMatch(/joined the consumer group/);
});

it('a repeat after the window passes again; a source with a longer window of its own still drops it', async () => {
  const topics = await dedupTopics();
  const longWindow = await provisionTenant(db, { name: uniqueName('long-window'), dedupWindowSeconds: 3600 });
  const p = startDedup(topics, uniqueName('dedup-window'), { DEDUP_DEFAULT_WINDOW_MS: '2000', TENANCY_CACHE_TTL_MS: '0' });
  await up(p);
  const short = event(500);
  const long = { ...event(501, longWindow.tenantId), sourceId: longWindow.sourceId };
  // Everything on one partition, in order, so a marker arriving proves what was sent before it was handled.
  const sendThenMarker = async (events: ValidEvent[], marker: number, expectTotal: number) => {
    await send(topics.valid, [...events, event(marker)].map((e) => ({ event: e, partition: 0 })));
    await collectRecords(stack, { topic: topics.unique, schema: 'events.unique', until: (got) => got.some((r) => r.value!.messageId === event(marker).messageId), timeoutMs: 30_000 });
    expect((await collectRecords(stack, { topic: topics.unique, schema: 'events.unique', count: expectTotal, timeoutMs: 10_000 })).length).toBe(expectTotal);
  };
  await sendThenMarker([short, long], 900, 3);
  await sendThenMarker([short, long], 901, 4); // inside both windows: dropped
  await new Promise((r) => setTimeout(r, 2_500));
  await sendThenMarker([short, long], 902, 6); // the 2 s default window has passed (short is new again); the source's hour has not
  await sendThenMarker([short], 903, 7); // inside the new claim's window: dropped
  p.child.kill('SIGTERM');
  expect(await p.exit).toBe(0);
  const ids = (await collectToEnd(stack, { topic: topics.unique, schema: 'events.unique' })).map((r) => r.value!.messageId);
  expect(ids.sort()).toEqual([short.messageId, short.messageId, long.messageId, ...[900, 901, 902, 903].map((m) => event(m).messageId)].sort());
});
