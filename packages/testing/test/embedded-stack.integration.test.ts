/** The default mode end to end: the embedded broker and registry, unique topics, typed produce/collect. */
import { ConfigResourceTypes } from 'kafkajs';
import { exampleRecords } from '@stratum/schemas';
import { desiredConfigs, topicNamed } from '@stratum/topics';
import { collectRecords, produceRecords, uniqueTopics, useTestStack } from '../src';
import { byKey, rawEvents } from './raw-events';

// env: {} pins the mode under test whatever STRATUM_TEST_KAFKA the run has.
const stack = useTestStack({ env: {} });

test('the stack is the in-process broker and registry', async () => {
  expect(stack.mode).toBe('embedded');
  expect(stack.brokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
  const res = await fetch(`${stack.registryUrl}/subjects`);
  expect(res.status).toBe(200);
});

test('events.raw records produced typed come back decoded, equal, with keys and headers', async () => {
  const topics = await uniqueTopics(stack, ['events.raw']);
  const sent = rawEvents(5).map((r, i) => ({ ...r, headers: { 'x-request-id': `req-${i}` } }));
  await produceRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', records: sent });

  const got = await collectRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', count: 5, timeoutMs: 10_000 });

  expect(byKey(got).map(({ key, value, headers }) => ({ key, value, headers }))).toEqual(byKey(sent));
  expect(got.every((r) => r.partition >= 0 && r.partition < topicNamed('events.raw').partitions && /^\d+$/.test(r.offset))).toBe(true);
});

test('unique topics copy the catalogue partitions and configs, and delete() removes them', async () => {
  const topics = await uniqueTopics(stack, ['events.raw', 'profiles.changes']);
  expect(topics.specs.map((s) => s.name)).toEqual([`${topics.prefix}.events.raw`, `${topics.prefix}.profiles.changes`]);
  for (const catalogueName of ['events.raw', 'profiles.changes']) {
    const spec = topicNamed(catalogueName);
    const name = topics.name(catalogueName);
    const [meta] = (await stack.admin.fetchTopicMetadata({ topics: [name] })).topics;
    expect(meta!.partitions).toHaveLength(spec.partitions);
    const described = await stack.admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name }], includeSynonyms: false });
    const configs = Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    expect(configs).toMatchObject(desiredConfigs(spec, { brokers: 1, replicationFactor: 1 }));
  }
  expect(() => topics.name('events.valid')).toThrow(expect.objectContaining({ code: 'misuse' }));

  await topics.delete();
  const left = await stack.admin.listTopics();
  expect(left.filter((t) => t.startsWith(`${topics.prefix}.`))).toEqual([]);
});

test('a tombstone on a compacted topic comes back as a null value', async () => {
  const topics = await uniqueTopics(stack, ['profiles.changes']);
  const change = exampleRecords['profiles.changes'];
  await produceRecords(stack, { topic: topics.name('profiles.changes'), schema: 'profiles.changes', records: [{ key: 'tn:p1', value: change }, { key: 'tn:p1', value: null }] });
  const got = await collectRecords(stack, { topic: topics.name('profiles.changes'), schema: 'profiles.changes', count: 2 });
  expect(got.map((r) => r.value)).toEqual([change, null]);
});

test('collectRecords stops when until() holds', async () => {
  const topics = await uniqueTopics(stack, ['events.raw']);
  const sent = rawEvents(3);
  await produceRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', records: sent });
  const got = await collectRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', until: (rs) => rs.some((r) => r.value?.messageId === sent[1]!.value!.messageId) });
  expect(got.map((r) => r.value?.messageId)).toContain(sent[1]!.value!.messageId);
});

test('collectRecords timing out says what it waited for and shows what arrived', async () => {
  const topics = await uniqueTopics(stack, ['events.raw']);
  const [only] = rawEvents(1);
  await produceRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', records: [only!] });
  const started = Date.now();
  const attempt = collectRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', count: 2, timeoutMs: 1_500 });
  await expect(attempt).rejects.toMatchObject({
    name: 'HarnessError',
    code: 'timeout',
    message: expect.stringMatching(
      new RegExp(`^collectRecords: timed out after 1500 ms on ${topics.name('events.raw').replace(/\./g, '\\.')} waiting for 2 records \\(events\\.raw\\); 1 arrived:\\n  partition \\d+ offset 0 key "${only!.key}": \\{"tenantId":"${only!.value!.tenantId}"`),
    ),
  });
  expect(Date.now() - started).toBeLessThan(5_000);
});

test('a value that is not Avro of the schema is reported with where it was', async () => {
  const topics = await uniqueTopics(stack, ['events.raw']);
  const producer = stack.kafka.producer();
  await producer.connect();
  await producer.send({ topic: topics.name('events.raw'), messages: [{ key: 'k', value: 'not avro', partition: 0 }] });
  await producer.disconnect();
  await expect(collectRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', count: 1 })).rejects.toMatchObject({
    code: 'undecodable_record',
    message: expect.stringMatching(new RegExp(`^collectRecords: .*events\\.raw partition 0 offset 0 does not decode as events\\.raw: `)),
  });
});

test('producing to a topic nobody created fails instead of auto-creating it', async () => {
  await expect(produceRecords(stack, { topic: 'no-such-topic-here', schema: 'events.raw', records: rawEvents(1) })).rejects.toMatchObject({
    code: 'kafka_failed',
    message: expect.stringContaining('no-such-topic-here'),
  });
  expect(await stack.admin.listTopics()).not.toContain('no-such-topic-here');
});
