/** applyTopics against a real @stratum/broker over TCP, checked with a separate kafkajs admin. */
import { createServer } from 'node:net';
import { ConfigResourceTypes } from 'kafkajs';
import { applyTopics, desiredConfigs, topicCatalogue, topicNamed, TopicsError, type ApplyReport, type TopicSpec } from '../src';
import { describeTopic, startTestKafka, uniqueCopies, type TestKafka } from './kafka';

const errors = (r: ApplyReport) => r.topics.flatMap((t) => (t.error ? [`${t.topic}: ${t.error}`] : []));
const statuses = (r: ApplyReport) => Object.fromEntries(r.topics.map((t) => [t.topic, t.status]));
const allWith = (specs: readonly TopicSpec[], status: string) => Object.fromEntries(specs.map((t) => [t.name, status]));
const single = { replicationFactor: 1, brokers: 1 };

let kafka: TestKafka;
beforeAll(async () => {
  kafka = await startTestKafka();
});
afterAll(() => kafka.close());

describe('the whole catalogue on an empty broker', () => {
  // These two use the catalogue's real names; the rest of the file uses unique copies.
  let first: ApplyReport;
  let afterFirst: unknown[];
  const describeAll = () => Promise.all(topicCatalogue.map((t) => describeTopic(kafka.admin, t.name).catch((err: Error) => err.message)));
  beforeAll(async () => {
    first = await applyTopics({ brokers: [kafka.broker.bootstrap] });
    afterFirst = await describeAll();
  });

  it('creates every topic with its partitions and configs', async () => {
    expect(errors(first)).toEqual([]);
    expect(statuses(first)).toEqual(allWith(topicCatalogue, 'created'));
    expect(first.exitCode).toBe(0);
    expect(first.cluster).toEqual({ brokers: 1, replicationFactor: 1 });
    for (const spec of topicCatalogue) {
      const actual = await describeTopic(kafka.admin, spec.name);
      expect([spec.name, actual.partitions]).toEqual([spec.name, spec.partitions]);
      for (const [name, value] of Object.entries(desiredConfigs(spec, single))) {
        expect([spec.name, name, actual.configs[name]]).toEqual([spec.name, name, value]);
      }
    }
  });

  it('changes nothing the second time and reports every topic ok', async () => {
    const second = await applyTopics({ brokers: [kafka.broker.bootstrap] });
    expect(errors(second)).toEqual([]);
    expect(statuses(second)).toEqual(allWith(topicCatalogue, 'ok'));
    expect(second.topics.flatMap((t) => [...t.applied, ...t.pending, ...t.problems, ...t.warnings])).toEqual([]);
    expect(second.exitCode).toBe(0);
    expect(await describeAll()).toEqual(afterFirst);
  });
});

it('--check on missing topics reports them, exits 1 and creates nothing (not even by asking for metadata)', async () => {
  const specs = uniqueCopies([topicNamed('events.raw'), topicNamed('identity.audit')]);
  const report = await applyTopics({ brokers: [kafka.broker.bootstrap], topics: specs, check: true });
  expect(statuses(report)).toEqual(allWith(specs, 'drift'));
  expect(report.topics.map((t) => t.pending.map((a) => a.kind))).toEqual([['create'], ['create']]);
  expect(report.exitCode).toBe(1);
  const existing = await kafka.admin.listTopics();
  for (const t of specs) expect(existing).not.toContain(t.name);
});

it('detects an altered config, reports it under --check without changing it, then fixes it keeping other overrides', async () => {
  const specs = uniqueCopies([topicNamed('events.raw'), topicNamed('identity.audit')]);
  const [raw, audit] = specs as [TopicSpec, TopicSpec];
  expect((await applyTopics({ brokers: [kafka.broker.bootstrap], topics: specs })).exitCode).toBe(0);

  // Legacy AlterConfigs replaces the topic's overrides: cleanup.policy falls back to the default.
  await kafka.admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: raw.name, configEntries: [{ name: 'retention.ms', value: '3600000' }, { name: 'max.message.bytes', value: '2000000' }] }],
  });
  await kafka.admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: audit.name, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });

  const check = await applyTopics({ brokers: [kafka.broker.bootstrap], topics: specs, check: true });
  expect(statuses(check)).toEqual(allWith(specs, 'drift'));
  expect(check.exitCode).toBe(1);
  expect(check.topics.map((t) => t.pending)).toEqual([
    [
      {
        kind: 'alter-configs',
        changes: [{ name: 'retention.ms', from: '3600000', to: '604800000' }],
        entries: { 'retention.ms': '604800000', 'max.message.bytes': '2000000', 'cleanup.policy': 'delete' },
      },
    ],
    [
      {
        kind: 'alter-configs',
        changes: [
          { name: 'cleanup.policy', from: 'compact', to: 'delete' },
          { name: 'retention.ms', from: '604800000', to: '-1' },
        ],
        entries: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
      },
    ],
  ]);
  expect((await describeTopic(kafka.admin, raw.name)).configs['retention.ms']).toBe('3600000');

  const fix = await applyTopics({ brokers: [kafka.broker.bootstrap], topics: specs });
  expect(statuses(fix)).toEqual(allWith(specs, 'altered'));
  expect(fix.exitCode).toBe(0);
  const fixed = await describeTopic(kafka.admin, raw.name);
  expect([fixed.configs['retention.ms'], fixed.configs['cleanup.policy'], fixed.configs['max.message.bytes']]).toEqual(['604800000', 'delete', '2000000']);
  expect((await describeTopic(kafka.admin, audit.name)).configs).toMatchObject({ 'cleanup.policy': 'delete', 'retention.ms': '-1' });

  expect(statuses(await applyTopics({ brokers: [kafka.broker.bootstrap], topics: specs }))).toEqual(allWith(specs, 'ok'));
});

it('reports fewer partitions and increases them only with allowPartitionIncrease; warns about more', async () => {
  const [raw, dlq] = uniqueCopies([topicNamed('events.raw'), topicNamed('delivery.dlq')]) as [TopicSpec, TopicSpec];
  const configEntries = (t: TopicSpec) => Object.entries(desiredConfigs(t, single)).map(([name, value]) => ({ name, value }));
  await kafka.admin.createTopics({
    topics: [
      { topic: raw.name, numPartitions: 4, configEntries: configEntries(raw) },
      { topic: dlq.name, numPartitions: 5, configEntries: configEntries(dlq) },
    ],
  });

  const refused = await applyTopics({ brokers: [kafka.broker.bootstrap], topics: [raw, dlq] });
  expect(statuses(refused)).toEqual({ [raw.name]: 'drift', [dlq.name]: 'ok' });
  expect(refused.topics[0]!.problems.map((p) => p.code)).toEqual(['partitions_below_catalogue']);
  expect(refused.topics[1]!.warnings.map((p) => p.code)).toEqual(['partitions_above_catalogue']);
  expect(refused.exitCode).toBe(1);
  expect((await describeTopic(kafka.admin, raw.name)).partitions).toBe(4);

  const checked = await applyTopics({ brokers: [kafka.broker.bootstrap], topics: [raw], allowPartitionIncrease: true, check: true });
  expect(checked.topics[0]!.pending).toEqual([{ kind: 'add-partitions', from: 4, to: 12 }]);
  expect((await describeTopic(kafka.admin, raw.name)).partitions).toBe(4);

  const grown = await applyTopics({ brokers: [kafka.broker.bootstrap], topics: [raw, dlq], allowPartitionIncrease: true });
  expect(statuses(grown)).toEqual({ [raw.name]: 'altered', [dlq.name]: 'ok' });
  expect(grown.topics[0]!.applied).toEqual([{ kind: 'add-partitions', from: 4, to: 12 }]);
  expect(grown.exitCode).toBe(0);
  expect((await describeTopic(kafka.admin, raw.name)).partitions).toBe(12);
  expect((await describeTopic(kafka.admin, dlq.name)).partitions).toBe(5);
});

it('reports a config the cluster refuses on that topic, naming the config, and still creates the others', async () => {
  const [raw, audit] = uniqueCopies([topicNamed('events.raw'), topicNamed('identity.audit')]) as [TopicSpec, TopicSpec];
  const broken: TopicSpec = { ...raw, configs: { 'retention.bytes': 'lots' } };
  const report = await applyTopics({ brokers: [kafka.broker.bootstrap], topics: [broken, audit] });
  expect(statuses(report)).toEqual({ [raw.name]: 'error', [audit.name]: 'created' });
  expect(report.topics[0]!.error).toBe('create failed: INVALID_CONFIG: Configuration is invalid (the cluster rejects retention.bytes=lots)');
  expect(report.exitCode).toBe(1);
  const existing = await kafka.admin.listTopics();
  expect([existing.includes(raw.name), existing.includes(audit.name)]).toEqual([false, true]);
});

it('refuses a replication factor larger than the cluster before changing anything', async () => {
  const specs = uniqueCopies([topicNamed('events.raw')]);
  const attempt = applyTopics({ brokers: [kafka.broker.bootstrap], topics: specs, replicationFactor: 3 });
  await expect(attempt).rejects.toThrow(new TopicsError('invalid_option', '--replication-factor 3: the cluster has 1 broker(s)'));
  expect(await kafka.admin.listTopics()).not.toContain(specs[0]!.name);
});

it('gives up on an unreachable cluster with a clear error, in bounded time', async () => {
  const port = await closedPort();
  const started = Date.now();
  const attempt = applyTopics({ brokers: [`127.0.0.1:${port}`], connectTimeoutMs: 10_000 });
  await expect(attempt).rejects.toMatchObject({ code: 'kafka_unreachable', message: expect.stringMatching(new RegExp(`^cannot reach Kafka at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`)) });
  expect(Date.now() - started).toBeLessThan(15_000);
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
