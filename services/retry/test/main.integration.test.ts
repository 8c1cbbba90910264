/**
 * src/main.ts as a supervisor runs it: starts its three stages against the embedded broker and a
 * migrated database, reports ready with its own metrics, and drains and exits 0 on SIGTERM.
 */
import { join } from 'node:path';
import { createDb, migrateToLatest } from '@stratum/db';
import { metricsUrlFrom, spawnTsProcess, uniqueName, uniqueTopics, useTestPostgres, useTestStack, waitFor, type TestDatabase } from '@stratum/testing';

jest.setTimeout(120_000);
const stack = useTestStack();
const postgres = useTestPostgres();
let database: TestDatabase;

beforeAll(async () => {
  database = await postgres.newDatabase();
  const db = createDb(database.url);
  await migrateToLatest(db);
  await db.destroy();
});
afterAll(async () => {
  await database?.drop();
});

it('starts the three stages, is ready with its metrics, and exits 0 on SIGTERM', async () => {
  const topics = await uniqueTopics(stack, ['delivery.retry.30s', 'delivery.retry.5m', 'delivery.retry.1h', 'delivery.attempts', 'delivery.outcomes', 'delivery.dlq', 'consents.changes']);
  const p = spawnTsProcess(join(__dirname, '..', 'src', 'main.ts'), {
    KAFKA_BROKERS: stack.brokers.join(','),
    KAFKA_CLIENT_ID: 'retry',
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    SERVICE_NAME: 'retry',
    LOG_LEVEL: 'info',
    METRICS_PORT: '0',
    STAGE_GROUP_ID: uniqueName('retry'),
    DATABASE_URL: database.url,
    RETRY_TIER_TOPICS: ['delivery.retry.30s', 'delivery.retry.5m', 'delivery.retry.1h'].map((t) => topics.name(t)).join(','),
    RETRY_ATTEMPTS_TOPIC: topics.name('delivery.attempts'),
    RETRY_OUTCOMES_TOPIC: topics.name('delivery.outcomes'),
    RETRY_DLQ_TOPIC: topics.name('delivery.dlq'),
    RETRY_CONSENTS_TOPIC: topics.name('consents.changes'),
  });
  try {
    await waitFor(() => metricsUrlFrom(p.stdout()) !== null || p.child.exitCode !== null, { timeoutMs: 60_000, what: 'retry to start' });
    expect({ exitCode: p.child.exitCode, stderr: p.stderr() }).toEqual({ exitCode: null, stderr: '' });
    const metricsUrl = metricsUrlFrom(p.stdout())!;
    await waitFor(async () => (await fetch(metricsUrl.replace('/metrics', '/readyz'))).ok, { timeoutMs: 60_000, what: 'the three stages to be ready' });
    const metrics = await (await fetch(metricsUrl)).text();
    for (const stage of ['retry', 'dlq-index', 'consent-purge']) expect(metrics).toContain(`stage="${stage}"`);
    expect(metrics).toMatch(/^stratum_retry_decisions_total\{[^}]*tier="1h"/m);
    expect(p.stdout()).toMatch(/"groupId":"retry-[0-9a-f]+\.consent-purge"/);
  } finally {
    p.child.kill('SIGTERM');
  }
  expect(await p.exit).toBe(0);
});
