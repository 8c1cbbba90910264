/** `external` mode against a Kafka and registry that already run: here, an embedded stack this file starts. */
import { closedPort, collectRecords, produceRecords, startTestStack, uniqueTopics, useTestStack, type TestStack } from '../src';
import { byKey, rawEvents } from './raw-events';

const existing = useTestStack({ env: {} });

const externalEnv = () => ({ STRATUM_TEST_KAFKA: 'external', KAFKA_BROKERS: existing.brokers.join(','), SCHEMA_REGISTRY_URL: existing.registryUrl });

describe('pointed at running servers', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: externalEnv() });
  });
  afterAll(async () => stack?.stop());

  test('uses the given brokers and registry', () => {
    expect(stack.mode).toBe('external');
    expect(stack.brokers).toEqual(existing.brokers);
    expect(stack.registryUrl).toBe(existing.registryUrl);
  });

  test('produces and collects typed events.raw records the same way', async () => {
    const topics = await uniqueTopics(stack, ['events.raw']);
    const sent = rawEvents(4);
    await produceRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', records: sent });
    const got = await collectRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', count: 4 });
    expect(byKey(got).map(({ key, value }) => ({ key, value }))).toEqual(byKey(sent));
  });
});

test('stop() deletes the topics the test created and leaves the servers running', async () => {
  const stack = await startTestStack({ env: externalEnv() });
  const topics = await uniqueTopics(stack, ['events.raw', 'events.valid']);
  expect(await existing.admin.listTopics()).toEqual(expect.arrayContaining([topics.name('events.raw'), topics.name('events.valid')]));

  await stack.stop();

  const left = await existing.admin.listTopics();
  expect(left.filter((t) => t.startsWith(`${topics.prefix}.`))).toEqual([]);
  expect((await fetch(`${existing.registryUrl}/subjects`)).status).toBe(200);
});

test('a missing variable is named', async () => {
  await expect(startTestStack({ env: { STRATUM_TEST_KAFKA: 'external', SCHEMA_REGISTRY_URL: existing.registryUrl } })).rejects.toMatchObject({
    code: 'missing_env',
    message: 'STRATUM_TEST_KAFKA=external uses an existing Kafka and schema registry, but KAFKA_BROKERS (comma-separated host:port list) is not set',
  });
  await expect(startTestStack({ env: { STRATUM_TEST_KAFKA: 'external', KAFKA_BROKERS: existing.brokers.join(',') } })).rejects.toMatchObject({
    code: 'missing_env',
    message: expect.stringContaining('SCHEMA_REGISTRY_URL (e.g. http://localhost:8081) is not set'),
  });
});

test('a Kafka that does not answer fails fast, naming KAFKA_BROKERS', async () => {
  const port = await closedPort();
  const started = Date.now();
  await expect(startTestStack({ env: { STRATUM_TEST_KAFKA: 'external', KAFKA_BROKERS: `127.0.0.1:${port}`, SCHEMA_REGISTRY_URL: existing.registryUrl } })).rejects.toMatchObject({
    code: 'unreachable',
    message: expect.stringMatching(new RegExp(`^cannot reach Kafka at 127\\.0\\.0\\.1:${port} \\(KAFKA_BROKERS\\): `)),
  });
  expect(Date.now() - started).toBeLessThan(15_000);
});

test('a registry that does not answer fails before any test runs, naming SCHEMA_REGISTRY_URL', async () => {
  const port = await closedPort();
  await expect(startTestStack({ env: { STRATUM_TEST_KAFKA: 'external', KAFKA_BROKERS: existing.brokers.join(','), SCHEMA_REGISTRY_URL: `http://127.0.0.1:${port}` } })).rejects.toMatchObject({
    code: 'unreachable',
    message: expect.stringMatching(new RegExp(`^cannot reach the schema registry at http://127\\.0\\.0\\.1:${port} \\(SCHEMA_REGISTRY_URL\\): .*ECONNREFUSED`)),
  });
});
