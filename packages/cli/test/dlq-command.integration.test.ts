/**
 * `stratum dlq list|replay|purge` as operators run them, against real PostgreSQL and the embedded
 * Kafka and registry: filters, totals, a replay consumed back off delivery.attempts, purge's refusal.
 */
import { randomUUID } from 'node:crypto';
import { createDb, withTenant, type Db } from '@stratum/db';
import { indexDeadLetters } from '@stratum/delivery';
import { exampleRecords, type DeadLetter } from '@stratum/schemas';
import { closedPort, collectRecords, uniqueTopics, useTestPostgres, useTestStack, type TestDatabase } from '@stratum/testing';
import { runCli } from './cli-process';

const postgres = useTestPostgres();
const stack = useTestStack();
let database: TestDatabase;
let db: Db;
let env: Record<string, string>;
let acme: string;
let globex: string;
const letters: Record<'meta1' | 'meta2' | 'hook1' | 'hook2' | 'globex1', DeadLetter> = {} as never;

const HOUR = 3_600_000;
const now = Date.now();

function letter(tenantId: string, hoursAgo: number, over: Partial<DeadLetter>): DeadLetter {
  const base = exampleRecords['delivery.dlq'];
  const messageId = `msg-${randomUUID()}`;
  return { ...base, dlqId: randomUUID(), tenantId, messageId, deadLetteredAt: now - hoursAgo * HOUR, event: { ...base.event, tenantId, messageId }, ...over };
}

const json = <T>(out: string): T => JSON.parse(out) as T;

interface Listing {
  deadLetters: Array<{ dlqId: string; destinationId: string; reason: string; replayCount: number; deadLetteredAt: string }>;
  nextCursor: string | null;
  total: number;
  byDestination: Record<string, number>;
  byReason: Record<string, number>;
}

const list = async (...args: string[]) => {
  const run = await runCli(['dlq', 'list', '--tenant', 'acme', '--json', ...args], env);
  expect([run.code, run.err]).toEqual([0, '']);
  return json<Listing>(run.out);
};

beforeAll(async () => {
  database = await postgres.newDatabase();
  env = { DATABASE_URL: database.url };
  expect((await runCli(['db', 'migrate'], env)).code).toBe(0);
  acme = json<{ tenantId: string }>((await runCli(['tenant', 'create', '--name', 'acme', '--json'], env)).out).tenantId;
  globex = json<{ tenantId: string }>((await runCli(['tenant', 'create', '--name', 'globex', '--json'], env)).out).tenantId;
  letters.meta1 = letter(acme, 50, { destinationId: 'dst_meta', reason: 'attempts_exhausted' });
  letters.meta2 = letter(acme, 2, {
    destinationId: 'dst_meta',
    reason: 'permanent_error',
    lastError: { code: 'invalid_payload', message: `pixel rejected the event: ${'x'.repeat(100)}`, httpStatus: 400, retryAfterMs: null, retryable: false },
  });
  letters.hook1 = letter(acme, 3, { destinationId: 'dst_hook', destinationType: 'webhook', reason: 'attempts_exhausted', profileId: 'prof-hook' });
  letters.hook2 = letter(acme, 1, { destinationId: 'dst_hook', destinationType: 'webhook', reason: 'attempts_exhausted', profileId: 'prof-hook' });
  letters.globex1 = letter(globex, 1, { destinationId: 'dst_hook', reason: 'attempts_exhausted' });
  db = createDb(database.url, { maxConnections: 2 });
  const { meta1, meta2, hook1, hook2, globex1 } = letters;
  await withTenant(db, acme, (trx) => indexDeadLetters(trx, acme, [meta1, meta2, hook1, hook2]));
  await withTenant(db, globex, (trx) => indexDeadLetters(trx, globex, [globex1]));
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

test('list: a table newest first with totals per destination and reason; only the tenant’s own rows', async () => {
  const run = await runCli(['dlq', 'list', '--tenant', 'acme'], env);
  expect(run.code).toBe(0);
  const rows = run.out.split('\n').filter((l) => /^[0-9a-f]{8}-/.test(l));
  expect(rows.map((l) => l.slice(0, 36))).toEqual([letters.hook2, letters.meta2, letters.hook1, letters.meta1].map((l) => l.dlqId));
  expect(run.out).toMatch(/^DLQ ID +DEAD-LETTERED \(UTC\) +DESTINATION +REASON +ATTEMPTS +REPLAYS +LAST ERROR$/m);
  const meta2 = rows.find((l) => l.startsWith(letters.meta2.dlqId))!;
  expect(meta2).toMatch(/ dst_meta +permanent_error +8 +0 +invalid_payload 400 pixel rejected the event: x+…$/);
  expect(run.out).toContain('4 shown of 4 matching (no filter), newest first');
  expect(run.out).toMatch(/^by destination {2}dst_hook 2, dst_meta 2$/m);
  expect(run.out).toMatch(/^by reason {7}attempts_exhausted 3, permanent_error 1$/m);
  expect(run.out).not.toContain(letters.globex1.dlqId);
});

test('list filters: destination, reason, since as a duration and as an ISO time, until; --json totals follow the filter', async () => {
  const hooks = await list('--destination', 'dst_hook');
  expect(hooks.deadLetters.map((d) => d.dlqId)).toEqual([letters.hook2.dlqId, letters.hook1.dlqId]);
  expect([hooks.total, hooks.byDestination, hooks.byReason]).toEqual([2, { dst_hook: 2 }, { attempts_exhausted: 2 }]);
  expect(hooks.deadLetters[0]!.deadLetteredAt).toBe(new Date(letters.hook2.deadLetteredAt).toISOString());
  expect((await list('--reason', 'permanent_error')).deadLetters.map((d) => d.dlqId)).toEqual([letters.meta2.dlqId]);
  expect((await list('--since', '24h')).total).toBe(3);
  expect((await list('--since', new Date(now - 2.5 * HOUR).toISOString(), '--until', '90m')).deadLetters.map((d) => d.dlqId)).toEqual([letters.meta2.dlqId]);
  expect((await list('--destination', 'dst_nowhere')).total).toBe(0);
  const none = await runCli(['dlq', 'list', '--tenant', 'acme', '--reason', 'nope'], env);
  expect([none.code, none.out]).toEqual([0, 'no dead letters match (reason nope)\n']);
});

test('list pages with --limit and --after', async () => {
  const first = await list('--limit', '3');
  expect(first.deadLetters).toHaveLength(3);
  expect(first.nextCursor).not.toBeNull();
  const second = await list('--limit', '3', '--after', first.nextCursor!);
  expect([...first.deadLetters, ...second.deadLetters].map((d) => d.dlqId)).toEqual([letters.hook2, letters.meta2, letters.hook1, letters.meta1].map((l) => l.dlqId));
  expect(second.nextCursor).toBeNull();
});

test('replay --dry-run lists what would go and changes nothing', async () => {
  const run = await runCli(['dlq', 'replay', '--tenant', 'acme', '--destination', 'dst_hook', '--dry-run'], env);
  expect(run.code).toBe(0);
  expect(run.out).toContain('would replay 2 dead letter(s) to delivery.attempts as attempt 1 (dry run: nothing sent)');
  expect(run.out).toContain(letters.hook1.dlqId);
  expect((await list('--destination', 'dst_hook')).deadLetters.map((d) => d.replayCount)).toEqual([0, 0]);
});

test('replay --backfill produces one delivery.attempts record per dead letter, oldest first under the key tenant:destination:profile, and bumps replay_count', async () => {
  const topics = await uniqueTopics(stack, ['delivery.attempts']);
  const topic = topics.name('delivery.attempts');
  const kafkaEnv = { ...env, KAFKA_BROKERS: stack.brokers.join(','), SCHEMA_REGISTRY_URL: stack.registryUrl };
  const run = await runCli(['dlq', 'replay', '--tenant', 'acme', '--destination', 'dst_hook', '--backfill', '--topic', topic], kafkaEnv);
  expect([run.code, run.err]).toEqual([0, '']);
  expect(run.out).toContain(`replayed 2 dead letter(s) to ${topic} as attempt 1, marked backfill`);
  expect(run.out).toContain('idempotency keys unchanged');

  // One profile, so one key and one partition: the replays keep the order the events first failed in.
  const records = await collectRecords(stack, { topic, schema: 'delivery.attempts', subject: `${topic}-value`, count: 2 });
  expect(records.map((r) => r.value!.replayOf)).toEqual([letters.hook1.dlqId, letters.hook2.dlqId]);
  for (const [i, l] of [letters.hook1, letters.hook2].entries()) {
    const record = records[i]!;
    expect(record.key).toBe(`${acme}:dst_hook:prof-hook`);
    expect(record.value).toEqual({
      tenantId: acme,
      destinationId: 'dst_hook',
      destinationType: 'webhook',
      messageId: l.messageId,
      profileId: l.profileId,
      attempt: 1,
      notBefore: expect.any(Number),
      firstAttemptAt: null,
      lastError: null,
      replayOf: l.dlqId,
      backfill: true,
      event: l.event,
    });
  }
  expect((await list('--destination', 'dst_hook')).deadLetters.map((d) => d.replayCount)).toEqual([1, 1]);
  expect((await list('--destination', 'dst_meta')).deadLetters.map((d) => d.replayCount)).toEqual([0, 0]);
});

test('replay of nothing exits 0 with a message, and needs no Kafka', async () => {
  const run = await runCli(['dlq', 'replay', '--tenant', 'acme', '--reason', 'nope', '--json'], { ...env, KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '' });
  expect(run.code).toBe(0);
  expect(json(run.out)).toEqual({ replayed: 0, topic: 'delivery.attempts', dryRun: false, backfill: false, filter: 'reason nope', dlqIds: [] });
  const kafkaless = await runCli(['dlq', 'replay', '--tenant', 'acme', '--destination', 'dst_meta'], { ...env, KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '' });
  expect(kafkaless.code).toBe(2);
  expect(kafkaless.err).toContain('replay needs Kafka: pass --brokers host:port, set KAFKA_BROKERS, or run `pnpm start` from this directory');
});

test('purge refuses without --yes (exit 2, saying how many); with --yes it hides them from list', async () => {
  const refused = await runCli(['dlq', 'purge', '--tenant', 'acme', '--destination', 'dst_meta', '--json'], env);
  expect(refused.code).toBe(2);
  expect(json(refused.out)).toEqual({ error: { code: 'confirmation_required', message: expect.stringContaining('would purge 2 dead letter(s)'), wouldPurge: 2 }, exitCode: 2 });
  expect(refused.err).toContain('run again with --yes');
  expect((await list()).total).toBe(4);

  const purged = await runCli(['dlq', 'purge', '--tenant', 'acme', '--destination', 'dst_meta', '--yes'], env);
  expect(purged.code).toBe(0);
  expect(purged.out).toMatch(/^purged 2 dead letter\(s\) \(destination dst_meta\)/);
  const left = await list();
  expect(left.deadLetters.map((d) => d.destinationId)).toEqual(['dst_hook', 'dst_hook']);
  expect(left.byDestination).toEqual({ dst_hook: 2 });

  const again = await runCli(['dlq', 'purge', '--tenant', 'acme', '--destination', 'dst_meta'], env);
  expect([again.code, again.out]).toEqual([0, 'no dead letters match (destination dst_meta); nothing purged\n']);
  // The other tenant's dead letters were never in reach.
  expect(json<Listing>((await runCli(['dlq', 'list', '--tenant', 'globex', '--json'], env)).out).total).toBe(1);
});

test('exit codes: unknown tenant 4, bad flags 2, PostgreSQL unreachable 3', async () => {
  expect((await runCli(['dlq', 'list', '--tenant', 'nobody'], env)).code).toBe(4);
  expect((await runCli(['dlq', 'list', '--tenant', 'acme', '--since', 'yesterday'], env)).code).toBe(2);
  expect((await runCli(['dlq', 'purge', '--tenant', 'acme', '--dlq-id', 'not-a-uuid', '--yes'], env)).code).toBe(2);
  expect((await runCli(['dlq', 'list', '--tenant', 'acme', '--limit', '5000'], env)).code).toBe(2);
  const down = await runCli(['dlq', 'list', '--tenant', 'acme', '--json'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/x` });
  expect(down.code).toBe(3);
  expect(json<{ error: { code: string } }>(down.out).error.code).toBe('tenancy_unavailable');
});
