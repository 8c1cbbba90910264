/**
 * The DLQ size gauge against a real, migrated PostgreSQL: every tenant's unpurged dead letters,
 * counted through row-level security, by reason; a reason whose letters were all purged reads 0.
 */
import { randomUUID } from 'node:crypto';
import { createDb, migrateToLatest, withTenant, type Db } from '@stratum/db';
import { indexDeadLetters, purgeDeadLetters } from '@stratum/delivery';
import { createMetricsRegistry, silentLogger } from '@stratum/observability';
import { exampleRecords, type DeadLetter } from '@stratum/schemas';
import { provisionTenant } from '@stratum/tenancy';
import { uniqueName, useTestPostgres, type TestDatabase } from '@stratum/testing';
import { startDeadLetterCounter } from '../src/dead-letter-count';
import { promRetryMetrics } from '../src/metrics';

const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url);
  await migrateToLatest(db);
});
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

async function deadLetters(tenantId: string, reasons: string[]): Promise<void> {
  const base = exampleRecords['delivery.dlq'];
  const letters: DeadLetter[] = reasons.map((reason) => ({ ...base, dlqId: randomUUID(), tenantId, reason, event: { ...base.event, tenantId } }));
  await withTenant(db, tenantId, (trx) => indexDeadLetters(trx, tenantId, letters));
}

it('counts the unpurged dead letters of every tenant by reason, and drops a purged reason to 0', async () => {
  const [a, b] = [(await provisionTenant(db, { name: uniqueName('a') })).tenantId, (await provisionTenant(db, { name: uniqueName('b') })).tenantId];
  await deadLetters(a, ['max_age_exceeded', 'permanent_error', 'permanent_error']);
  await deadLetters(b, ['max_age_exceeded']);
  const registry = createMetricsRegistry({ service: 'retry-test', version: '0', processMetrics: false });
  const counter = startDeadLetterCounter(db, { metrics: promRetryMetrics(registry, ['30s']), logger: silentLogger() });
  const gauge = async () => Object.fromEntries((await registry.getSingleMetric('stratum_retry_dead_letters')!.get()).values.map((v) => [v.labels.reason, v.value]));
  try {
    await counter.countOnce();
    expect(await gauge()).toEqual({ max_age_exceeded: 2, permanent_error: 2 });
    await withTenant(db, a, (trx) => purgeDeadLetters(trx, a, { reason: 'permanent_error' }));
    await counter.countOnce();
    expect(await gauge()).toEqual({ max_age_exceeded: 2, permanent_error: 0 });
  } finally {
    counter.stop();
  }
});
