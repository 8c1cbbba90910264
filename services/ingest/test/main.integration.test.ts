/** src/main.ts as a real process: config, PostgreSQL, the stage, /readyz with postgres, SIGTERM. */
import { collectRecords, produceRecords, uniqueName, uniqueTopics, useTestPostgres, useTestStack, waitFor } from '@stratum/testing';
import { provisionTenancy, rawEvent, type Tenancy } from './fixtures';
import { startIngestProcess } from './ingest-process';

jest.setTimeout(90_000);
const stack = useTestStack();
const postgres = useTestPostgres();
let tenancy: Tenancy;

beforeAll(async () => {
  tenancy = await provisionTenancy(postgres);
});
afterAll(async () => {
  await tenancy.close();
});

it('runs the stage from its environment, reports postgres in /readyz, and drains on SIGTERM', async () => {
  const topics = await uniqueTopics(stack, ['events.raw', 'events.valid', 'events.invalid']);
  await produceRecords(stack, {
    topic: topics.name('events.raw'),
    schema: 'events.raw',
    records: [rawEvent(tenancy.open, 'ok-1'), rawEvent(tenancy.disabled, 'refused-1')].map((value) => ({ key: value.messageId, value })),
  });
  const ingest = startIngestProcess({
    KAFKA_BROKERS: stack.brokers.join(','),
    KAFKA_CLIENT_ID: 'ingest',
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    SERVICE_NAME: 'ingest',
    METRICS_PORT: '0',
    STAGE_GROUP_ID: uniqueName('ingest'),
    DATABASE_URL: tenancy.database.url,
    INGEST_INPUT_TOPIC: topics.name('events.raw'),
    INGEST_VALID_TOPIC: topics.name('events.valid'),
    INGEST_INVALID_TOPIC: topics.name('events.invalid'),
    TENANCY_CACHE_TTL_MS: '1s',
  });
  try {
    await waitFor(() => ingest.metricsUrl() !== null || ingest.child.exitCode !== null, { timeoutMs: 45_000, what: 'ingest to start' });
    if (ingest.child.exitCode !== null) throw new Error(`ingest exited ${ingest.child.exitCode}: ${ingest.stderr()}${ingest.stdout()}`);
    const [valid] = await collectRecords(stack, { topic: topics.name('events.valid'), schema: 'events.valid', count: 1, timeoutMs: 30_000 });
    expect(valid!.value).toMatchObject({ messageId: 'ok-1', tenantId: tenancy.open.tenantId });
    const [invalid] = await collectRecords(stack, { topic: topics.name('events.invalid'), schema: 'events.invalid', count: 1, timeoutMs: 30_000 });
    expect(invalid!.value).toMatchObject({ messageId: 'refused-1', reasons: [{ code: 'source_disabled' }] });

    const readyz = ingest.metricsUrl()!.replace('/metrics', '/readyz');
    await waitFor(async () => (await fetch(readyz)).status === 200, { timeoutMs: 15_000, what: '/readyz to answer 200' });
    expect(await (await fetch(readyz)).json()).toMatchObject({ checks: { kafka: { ok: true }, postgres: { ok: true } } });
    const metrics = await (await fetch(ingest.metricsUrl()!)).text();
    expect(metrics).toMatch(/stratum_stage_records_out_total\{stage="ingest",output="invalid",outcome="quarantine",reason="source_disabled"\} 1/);
    // The stage's own counters are on the same /metrics.
    expect(metrics).toMatch(/# TYPE stratum_ingest_rejected_identifiers_total counter/);
    expect(metrics).toMatch(/# TYPE stratum_ingest_omitted_properties_total counter/);
  } finally {
    ingest.child.kill('SIGTERM');
  }
  expect(await ingest.exit).toBe(0);
});

it('exits 78 naming every missing variable', async () => {
  const ingest = startIngestProcess({ SERVICE_NAME: 'ingest' });
  expect(await ingest.exit).toBe(78);
  for (const name of ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'STAGE_GROUP_ID', 'DATABASE_URL']) expect(ingest.stderr()).toContain(name);
});

it('refuses to start on a database that is not migrated', async () => {
  const empty = await postgres.newDatabase();
  const ingest = startIngestProcess({
    KAFKA_BROKERS: stack.brokers.join(','),
    KAFKA_CLIENT_ID: 'ingest',
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    SERVICE_NAME: 'ingest',
    STAGE_GROUP_ID: uniqueName('ingest'),
    DATABASE_URL: empty.url,
  });
  expect(await ingest.exit).toBe(78);
  expect(ingest.stderr()).toMatch(/pending migration\(s\).*pnpm stratum db migrate/);
  await empty.drop();
});
