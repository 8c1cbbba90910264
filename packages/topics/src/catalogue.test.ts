import { keySubject, topicCatalogue, topicNamed, valueSubject } from './catalogue';
import { catalogueProblems } from './catalogue-rules';
import { DAY, FOREVER, HOUR } from './duration';
import { TopicsError } from './errors';
import { joinKey, type TopicSpec } from './topic-spec';

/** The decided catalogue, row by row: name, partitions, cleanup, retention, keys, dead letter, producers → consumers. */
const DECIDED: [string, number, 'delete' | 'compact', number, string[], string | null, string[], string[]][] = [
  ['events.raw', 12, 'delete', 7 * DAY, ['tenantId:messageId'], 'events.invalid', ['gateway', 'external Kafka producers'], ['ingest']],
  ['events.valid', 12, 'delete', 7 * DAY, ['tenantId:messageId'], 'events.invalid', ['ingest'], ['dedup']],
  ['events.invalid', 6, 'delete', 30 * DAY, ['tenantId:sourceId', '_unknown'], null, ['ingest', 'dedup', 'identity-resolution', 'delivery-adapter'], ['operators']],
  ['events.unique', 12, 'delete', 7 * DAY, ['tenantId:anonymousId', 'tenantId:userId', 'tenantId:messageId'], 'events.invalid', ['dedup'], ['identity-resolution']],
  ['persons.import', 6, 'delete', 7 * DAY, ['tenantId'], 'events.invalid', ['stratum import'], ['identity-resolution']],
  ['events.resolved', 12, 'delete', 7 * DAY, ['tenantId:profileId'], 'events.invalid', ['identity-resolution'], ['delivery-adapter']],
  ['profiles.changes', 12, 'compact', FOREVER, ['tenantId:profileId'], null, ['identity-resolution'], ['operators', 'downstream consumers']],
  ['identity.audit', 6, 'delete', FOREVER, ['tenantId:profileId'], null, ['identity-resolution'], ['operators', 'stratum trace']],
  ['delivery.attempts', 12, 'delete', 7 * DAY, ['tenantId:destinationId:profileId'], 'delivery.dlq', ['retry', 'replay'], ['delivery-adapter']],
  ['delivery.retry.30s', 6, 'delete', 7 * DAY, ['tenantId:destinationId:profileId'], 'delivery.dlq', ['delivery-adapter'], ['retry']],
  ['delivery.retry.5m', 6, 'delete', 7 * DAY, ['tenantId:destinationId:profileId'], 'delivery.dlq', ['delivery-adapter'], ['retry']],
  ['delivery.retry.1h', 6, 'delete', 7 * DAY, ['tenantId:destinationId:profileId'], 'delivery.dlq', ['delivery-adapter'], ['retry']],
  ['delivery.outcomes', 12, 'delete', 30 * DAY, ['tenantId:destinationId:profileId'], null, ['delivery-adapter', 'retry'], ['operators', 'stratum trace']],
  ['delivery.dlq', 3, 'delete', 30 * DAY, ['tenantId:destinationId:profileId'], null, ['delivery-adapter', 'retry'], ['retry', 'operators']],
  ['consents.changes', 6, 'delete', FOREVER, ['tenantId:profileId'], null, ['identity-resolution', 'gateway'], ['retry']],
];

describe('the catalogue', () => {
  it('satisfies every catalogue rule', () => {
    expect(catalogueProblems(topicCatalogue)).toEqual([]);
  });

  it('encodes exactly the decided topics', () => {
    const actual = topicCatalogue.map((t) => [
      t.name,
      t.partitions,
      t.cleanupPolicy,
      t.retentionMs,
      t.key.forms.map((f) => f.pattern),
      t.deadLetter,
      [...t.producedBy],
      [...t.consumedBy],
    ]);
    expect(actual).toEqual(DECIDED);
  });

  it('gives profiles.changes its compaction lag and tombstones, and nobody else extra configs', () => {
    expect(topicCatalogue.filter((t) => Object.keys(t.configs).length).map((t) => [t.name, t.configs])).toEqual([
      ['profiles.changes', { 'min.compaction.lag.ms': String(HOUR) }],
    ]);
    expect(topicCatalogue.filter((t) => t.tombstones !== null).map((t) => t.name)).toEqual(['profiles.changes']);
  });

  it('takes every value schema from the topic of the same name, except retry tiers from delivery.attempts', () => {
    for (const t of topicCatalogue) expect([t.name, t.valueSchema]).toEqual([t.name, t.retryTierOf ?? t.name]);
  });

  it('has delivery retry tiers of 30 s, 5 min and 1 h, in that order', () => {
    expect(topicNamed('delivery.attempts').retryTiers).toEqual([
      { topic: 'delivery.retry.30s', delayMs: 30_000 },
      { topic: 'delivery.retry.5m', delayMs: 300_000 },
      { topic: 'delivery.retry.1h', delayMs: 3_600_000 },
    ]);
  });

  it('is frozen all the way down', () => {
    const first = topicCatalogue[0] as unknown as { partitions: number; key: { forms: unknown[] } };
    expect(() => {
      first.partitions = 1;
    }).toThrow(TypeError);
    expect(() => first.key.forms.push({})).toThrow(TypeError);
    expect(() => (topicCatalogue as TopicSpec[]).pop()).toThrow(TypeError);
  });
});

describe('lookups', () => {
  it('finds a topic by name', () => {
    expect(topicNamed('events.unique').partitions).toBe(12);
  });

  it('throws unknown_topic, naming the name, for a topic not in the catalogue', () => {
    const attempt = () => topicNamed('events.rwa');
    expect(attempt).toThrow(TopicsError);
    expect(attempt).toThrow(/"events\.rwa" is not in the topic catalogue/);
    try {
      attempt();
    } catch (err) {
      expect((err as TopicsError).code).toBe('unknown_topic');
      expect((err as TopicsError).retriable).toBe(false);
    }
  });

  it('names subjects by TopicNameStrategy, per topic even where the schema is shared', () => {
    expect(valueSubject('events.raw')).toBe('events.raw-value');
    expect(valueSubject(topicNamed('delivery.retry.30s'))).toBe('delivery.retry.30s-value');
    expect(keySubject('profiles.changes')).toBe('profiles.changes-key');
    expect(() => valueSubject('events.rwa')).toThrow(TopicsError);
  });

  it('joins key parts with ":"', () => {
    expect(joinKey('t1', 'd9', 'p3')).toBe('t1:d9:p3');
  });
});

describe('catalogue rules', () => {
  const raw = topicNamed('events.raw');
  const invalid = topicNamed('events.invalid');
  const problemsWith = (...topics: TopicSpec[]) => catalogueProblems(topics);

  it('reject a name listed twice', () => {
    expect(problemsWith(raw, invalid, raw)).toContain('events.raw: listed twice');
  });

  it('reject illegal Kafka names and names that collide in metrics', () => {
    expect(problemsWith({ ...raw, name: 'events raw', deadLetter: null })).toContain('events raw: not a legal Kafka topic name');
    expect(problemsWith({ ...raw, name: '..', deadLetter: null })).toContain('..: not a legal Kafka topic name');
    expect(problemsWith({ ...raw, name: 'a'.repeat(250), deadLetter: null })).toContain(`${'a'.repeat(250)}: not a legal Kafka topic name`);
    expect(problemsWith({ ...raw, deadLetter: null }, { ...raw, name: 'events_raw', deadLetter: null })).toContain(
      "events_raw: collides with events.raw once '.' and '_' are the same (Kafka metric names)",
    );
  });

  it('reject a sibling that does not exist', () => {
    expect(problemsWith(raw)).toContain('events.raw: dead letter events.invalid is not in the catalogue');
    expect(problemsWith(topicNamed('delivery.attempts'), topicNamed('delivery.dlq'))).toContain(
      'delivery.attempts: retry tier delivery.retry.30s is not in the catalogue',
    );
    expect(problemsWith(topicNamed('delivery.retry.5m'), topicNamed('delivery.dlq'))).toContain(
      'delivery.retry.5m: retryTierOf delivery.attempts is not in the catalogue',
    );
  });

  it('reject insane partitions and retention', () => {
    expect(problemsWith({ ...raw, partitions: 0 }, invalid)).toContain('events.raw: partitions must be an integer 1–64, is 0');
    expect(problemsWith({ ...raw, partitions: 120 }, invalid)).toContain('events.raw: partitions must be an integer 1–64, is 120');
    expect(problemsWith({ ...raw, retentionMs: 1000 }, invalid)).toContain('events.raw: retention.ms must be -1 (forever) or at least 3600000, is 1000');
    expect(problemsWith({ ...raw, configs: { 'retention.ms': '1' } }, invalid)).toContain('events.raw: retention.ms belongs in its own field, not in configs');
  });

  it('reject a dead letter that forgets records before its source does', () => {
    expect(problemsWith({ ...raw, retentionMs: FOREVER }, invalid)).toContain(
      'events.raw: dead letter events.invalid must keep records at least as long as this topic, to replay them',
    );
  });

  it('reject a dead letter its source consumers cannot write', () => {
    expect(problemsWith(raw, { ...invalid, producedBy: ['dedup'] })).toContain('events.raw: dead letter events.invalid must list ingest among its producers');
  });

  it('reject a key that does not start with the tenant', () => {
    expect(problemsWith({ ...raw, key: { ...raw.key, forms: [{ pattern: 'messageId', when: null }] } }, invalid)).toContain(
      'events.raw: the first key form must start with tenantId (every record belongs to a tenant)',
    );
  });

  it('reject retry tiers out of order or not pointing back', () => {
    const catalogue = topicCatalogue.map((t) =>
      t.name === 'delivery.attempts'
        ? { ...t, retryTiers: [t.retryTiers[1]!, t.retryTiers[0]!, t.retryTiers[2]!] }
        : t.name === 'delivery.retry.1h'
          ? { ...t, retryTierOf: null }
          : t,
    );
    expect(catalogueProblems(catalogue)).toEqual([
      'delivery.attempts: retry tier delays must increase (delivery.retry.30s)',
      "delivery.attempts: retry tier delivery.retry.1h must say retryTierOf: 'delivery.attempts'",
    ]);
  });
});
