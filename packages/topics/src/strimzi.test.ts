/** k8s/base/kafka-topics.yaml is generated: it must be what the generator writes, and say what the catalogue says. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topicCatalogue } from './catalogue';
import { GENERATE_COMMAND } from './docs/render';
import { workspaceRoot } from './docs/workspace-root';
import { KAFKA_TOPICS_MANIFEST, kafkaTopicResourceName, renderKafkaTopicsManifest, strimziKafkaTopics } from './strimzi';

it(`${KAFKA_TOPICS_MANIFEST} is what \`${GENERATE_COMMAND}\` writes`, () => {
  let committed: string | null = null;
  try {
    committed = readFileSync(join(workspaceRoot(), KAFKA_TOPICS_MANIFEST), 'utf8');
  } catch {
    // reported below
  }
  if (committed !== renderKafkaTopicsManifest()) {
    throw new Error(`${KAFKA_TOPICS_MANIFEST} is ${committed === null ? 'missing' : 'out of date'}: run \`${GENERATE_COMMAND}\``);
  }
});

describe('strimziKafkaTopics', () => {
  const resources = strimziKafkaTopics();

  it('has one KafkaTopic per catalogue topic, in catalogue order', () => {
    expect(resources.map((r) => r.spec.topicName)).toEqual(topicCatalogue.map((t) => t.name));
  });

  it.each(topicCatalogue.map((t, i) => [t.name, t, resources[i]!] as const))('%s: partitions, replicas and configs as the catalogue says', (_name, spec, resource) => {
    expect(resource.metadata.labels['strimzi.io/cluster']).toBe('stratum');
    expect(resource.spec.partitions).toBe(spec.partitions);
    expect(resource.spec.replicas).toBe(3);
    expect(resource.spec.config).toEqual({
      'cleanup.policy': spec.cleanupPolicy,
      'retention.ms': String(spec.retentionMs),
      ...spec.configs,
      // two of three replicas must acknowledge: acks=all survives one broker down
      'min.insync.replicas': '2',
    });
  });

  it('gives every topic a valid, distinct Kubernetes name', () => {
    const names = resources.map((r) => r.metadata.name);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('takes a cluster name and a replica count', () => {
    const [first] = strimziKafkaTopics(topicCatalogue.slice(0, 1), { cluster: 'other', replicas: 1 });
    expect(first?.metadata.labels['strimzi.io/cluster']).toBe('other');
    expect(first?.spec.replicas).toBe(1);
    // a single broker has no other replica to require (as `stratum topics apply` decides)
    expect(first?.spec.config).not.toHaveProperty('min.insync.replicas');
  });
});

describe('kafkaTopicResourceName', () => {
  it.each([
    ['events.raw', 'events.raw'],
    ['Events_Raw', 'events-raw'],
    ['_schemas', 'schemas'],
  ])('%s → %s', (topic, name) => {
    expect(kafkaTopicResourceName(topic)).toBe(name);
  });
});
