/** `stratum db migrate`, `tenant`, `source`, `writekey` as operators run them: output, JSON, exit codes. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, useTestPostgres, type TestDatabase } from '@stratum/testing';
import { runCli } from './cli-process';

const postgres = useTestPostgres();
let database: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await postgres.newDatabase();
  env = { DATABASE_URL: database.url };
});
afterAll(() => database.drop());

const json = <T>(out: string): T => JSON.parse(out) as T;

test('db migrate applies the history once; --status lists it', async () => {
  const first = await runCli(['db', 'migrate'], env);
  expect(first.code).toBe(0);
  expect(first.out).toMatch(/^applied {2}\d{12}_tenancy$/m);
  const again = await runCli(['db', 'migrate', '--json'], env);
  expect(again.code).toBe(0);
  expect(json<{ appliedNow: string[]; pending: string[] }>(again.out)).toMatchObject({ appliedNow: [], pending: [] });
  const status = await runCli(['db', 'migrate', '--status'], env);
  expect(status.out).toMatch(/1 applied, 0 pending/);
});

test('tenant create prints {tenantId, sourceId, writeKey, adminKey}; the same name again creates nothing', async () => {
  const created = await runCli(['tenant', 'create', '--name', 'acme', '--json'], env);
  expect(created.code).toBe(0);
  const t = json<{ tenantId: string; sourceId: string; writeKey: string; adminKey: string; created: boolean }>(created.out);
  expect(t).toEqual({ tenantId: expect.stringMatching(/^ten_/), sourceId: expect.stringMatching(/^src_/), writeKey: expect.stringMatching(/^wk_/), adminKey: expect.stringMatching(/^sk_/), created: true });

  const again = await runCli(['tenant', 'create', '--name', 'ACME'], env);
  expect(again.code).toBe(0);
  expect(again.out).toContain(`tenantId  ${t.tenantId}  (exists: nothing created)`);
  expect(again.out).toContain('stratum writekey rotate --source');

  const list = await runCli(['tenant', 'list', '--json'], env);
  expect(json<Array<{ name: string }>>(list.out).filter((x) => x.name.toLowerCase() === 'acme')).toHaveLength(1);
});

test('source create with limits and a tracking plan file, list, update; writekey rotate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-plan-'));
  const planPath = join(dir, 'plan.json');
  writeFileSync(planPath, JSON.stringify({ mode: 'block', defaultSchemaVersion: '1.0.0', events: [{ type: 'track', name: 'Signed Up', version: '1.0.0', schema: { type: 'object' } }] }));
  await runCli(['tenant', 'create', '--name', 'globex'], env);
  const created = await runCli(['source', 'create', '--tenant', 'globex', '--name', 'ios', '--max-batch-bytes', '256KB', '--max-batch-events', '50', '--phone-region', 'de', '--tracking-plan', planPath, '--json'], env);
  expect(created.code).toBe(0);
  const s = json<{ sourceId: string; writeKey: string }>(created.out);

  const list = await runCli(['source', 'list', '--tenant', 'globex'], env);
  expect(list.code).toBe(0);
  expect(list.out).toContain(`${s.sourceId}  ios  event ≤32768 B, batch ≤262144 B / 50 events, rate 5000/s burst 10000, plan block (1 events), phone region DE`);

  const updated = await runCli(['source', 'update', '--source', s.sourceId, '--rate-limit', '0', '--disable'], env);
  expect(updated.code).toBe(0);
  expect(updated.out).toContain('ios (disabled)');
  expect(updated.out).toContain('rate unlimited');

  const rotated = await runCli(['writekey', 'rotate', '--source', s.sourceId, '--grace', '1h', '--json'], env);
  expect(rotated.code).toBe(0);
  const r = json<{ writeKey: string; previousKeys: number; previousKeysExpireAt: string }>(rotated.out);
  expect(r.writeKey).not.toBe(s.writeKey);
  expect(r.previousKeys).toBe(1);
  expect(Date.parse(r.previousKeysExpireAt) - Date.now()).toBeGreaterThan(3500_000);
});

test('errors: clear messages and exit codes 2 (invalid), 3 (unreachable), 4 (not found)', async () => {
  const invalid = await runCli(['tenant', 'create', '--name', 'x', '--max-batch-events', '0'], env);
  expect(invalid.code).toBe(2);
  expect(invalid.err).toMatch(/maxBatchEvents must be an integer of at least 1, got 0/);

  const badFlag = await runCli(['source', 'create', '--tenant', 'acme', '--name', 'w', '--max-event-bytes', 'lots'], env);
  expect(badFlag.code).toBe(2);
  expect(badFlag.err).toMatch(/must be a size such as 32768, 32KB or 1MB, got "lots"/);

  const missing = await runCli(['source', 'list', '--tenant', 'nobody', '--json'], env);
  expect(missing.code).toBe(4);
  expect(json<{ error: { code: string } }>(missing.out).error.code).toBe('not_found');

  const port = await closedPort();
  const down = await runCli(['tenant', 'list'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x` });
  expect(down.code).toBe(3);
  expect(down.err).toMatch(/PostgreSQL is unreachable/);

  const none = await runCli(['tenant', 'list'], { DATABASE_URL: '' });
  expect(none.code).toBe(2);
  expect(none.err).toMatch(/pass --database-url/);
});
