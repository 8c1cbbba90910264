import { topicNamed } from './catalogue';
import { defaultReplicationFactor, desiredConfigs, desiredTopic, planTopic, sameConfigValue, type ActualConfig, type ActualTopic, type DesiredTopic } from './plan';

const single = { replicationFactor: 1, brokers: 1 };
const apply = { allowPartitionIncrease: false };

/** An existing topic exactly as `desired` wants it, with the broker's defaults for the rest. */
function existing(desired: DesiredTopic, overrides: Partial<Omit<ActualTopic, 'configs'>> = {}, configs: Record<string, ActualConfig> = {}): ActualTopic {
  const map = new Map<string, ActualConfig>([
    ['segment.bytes', { value: '1073741824', origin: 'default' }],
    ['min.insync.replicas', { value: '1', origin: 'default' }],
  ]);
  for (const [name, value] of Object.entries(desired.configs)) map.set(name, { value, origin: 'topic' });
  for (const [name, c] of Object.entries(configs)) map.set(name, c);
  return { name: desired.name, partitions: desired.partitions, replicationFactor: desired.replicationFactor, configs: map, ...overrides };
}

describe('desired state', () => {
  it('sets cleanup.policy, retention.ms and the extra configs of a topic', () => {
    expect(desiredConfigs(topicNamed('profiles.changes'), single)).toEqual({
      'cleanup.policy': 'compact',
      'retention.ms': '-1',
      'min.compaction.lag.ms': '3600000',
    });
    expect(desiredConfigs(topicNamed('events.raw'), single)).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '604800000' });
  });

  it('requires min(2, RF) in-sync replicas on multi-node clusters only', () => {
    const raw = topicNamed('events.raw');
    expect(desiredConfigs(raw, { replicationFactor: 3, brokers: 5 })['min.insync.replicas']).toBe('2');
    expect(desiredConfigs(raw, { replicationFactor: 2, brokers: 2 })['min.insync.replicas']).toBe('2');
    expect(desiredConfigs(raw, { replicationFactor: 1, brokers: 3 })['min.insync.replicas']).toBe('1');
    expect(desiredConfigs(raw, single)).not.toHaveProperty('min.insync.replicas');
  });

  it('defaults the replication factor to min(3, brokers)', () => {
    expect([1, 2, 3, 7].map(defaultReplicationFactor)).toEqual([1, 2, 3, 3]);
  });
});

describe('planTopic', () => {
  const raw = desiredTopic(topicNamed('events.raw'), single);

  it('creates a missing topic with its partitions, replication and configs', () => {
    expect(planTopic(raw, undefined, apply)).toEqual({
      topic: 'events.raw',
      actions: [{ kind: 'create', partitions: 12, replicationFactor: 1, configs: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' } }],
      problems: [],
      warnings: [],
    });
  });

  it('does nothing to a topic that matches', () => {
    expect(planTopic(raw, existing(raw), apply)).toEqual({ topic: 'events.raw', actions: [], problems: [], warnings: [] });
  });

  it('accepts a broker default that equals the catalogue value', () => {
    const actual = existing(raw, {}, { 'retention.ms': { value: '604800000', origin: 'default' }, 'cleanup.policy': { value: 'delete', origin: 'default' } });
    expect(planTopic(raw, actual, apply).actions).toEqual([]);
  });

  it('treats cleanup.policy as an unordered list', () => {
    expect(sameConfigValue('cleanup.policy', 'delete,compact', 'compact, delete')).toBe(true);
    expect(sameConfigValue('cleanup.policy', 'compact', 'compact,delete')).toBe(false);
    expect(sameConfigValue('retention.ms', null, '1')).toBe(false);
  });

  it('alters drifted configs, sending back the overrides it does not manage', () => {
    const actual = existing(raw, {}, { 'retention.ms': { value: '86400000', origin: 'topic' }, 'max.message.bytes': { value: '2000000', origin: 'topic' } });
    expect(planTopic(raw, actual, apply).actions).toEqual([
      {
        kind: 'alter-configs',
        changes: [{ name: 'retention.ms', from: '86400000', to: '604800000' }],
        entries: { 'cleanup.policy': 'delete', 'retention.ms': '604800000', 'max.message.bytes': '2000000' },
      },
    ]);
  });

  it('reports a config the cluster does not know as unset', () => {
    const changes = desiredTopic(topicNamed('profiles.changes'), single);
    const actual = existing(changes);
    (actual.configs as Map<string, ActualConfig>).delete('min.compaction.lag.ms');
    const [action] = planTopic(changes, actual, apply).actions;
    expect(action).toMatchObject({ kind: 'alter-configs', changes: [{ name: 'min.compaction.lag.ms', from: null, to: '3600000' }] });
  });

  it('reports fewer partitions as a problem unless increasing is allowed', () => {
    const actual = existing(raw, { partitions: 6 });
    const refused = planTopic(raw, actual, apply);
    expect(refused.actions).toEqual([]);
    expect(refused.problems.map((p) => p.code)).toEqual(['partitions_below_catalogue']);
    expect(refused.problems[0]!.message).toMatch(/^partitions 6, catalogue 12: not increased \(adding partitions moves keys .*--allow-partition-increase/);

    const allowed = planTopic(raw, actual, { allowPartitionIncrease: true });
    expect(allowed.actions).toEqual([{ kind: 'add-partitions', from: 6, to: 12 }]);
    expect(allowed.problems).toEqual([]);
  });

  it('warns about more partitions than the catalogue and leaves them', () => {
    const plan = planTopic(raw, existing(raw, { partitions: 24 }), apply);
    expect(plan.actions).toEqual([]);
    expect(plan.problems).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['partitions_above_catalogue']);
  });

  it('warns about a different replication factor and sizes min.insync.replicas to the replicas the topic has', () => {
    const want = desiredTopic(topicNamed('events.raw'), { replicationFactor: 3, brokers: 3 });
    const plan = planTopic(want, existing(want, { replicationFactor: 1 }, { 'min.insync.replicas': { value: '1', origin: 'default' } }), apply);
    expect(plan.warnings.map((w) => w.code)).toEqual(['replication_factor_differs']);
    expect(plan.actions).toEqual([]);

    const two = planTopic(want, existing(want, { replicationFactor: 3 }, { 'min.insync.replicas': { value: '1', origin: 'default' } }), apply);
    expect(two.actions).toMatchObject([{ kind: 'alter-configs', changes: [{ name: 'min.insync.replicas', from: '1', to: '2' }] }]);
  });
});
