/** Test-private copies of catalogue topics: same partitions and configs, a unique name prefix. */
import { defaultReplicationFactor, desiredConfigs, topicNamed, type TopicSpec } from '@stratum/topics';
import { HarnessError, messageOf } from '../errors';
import { uniqueName } from '../names';
import type { TestStack } from './stack';

/** Options of uniqueTopics. */
export interface UniqueTopicsOptions {
  /** The name prefix (default `uniqueName('t')`, e.g. `t-3f9a0c1b2d4e`); copies are `<prefix>.<catalogue name>`. */
  prefix?: string;
}

/** The topics a test created for itself. */
export interface UniqueTopics {
  readonly prefix: string;
  /** The copies in the order asked: each name in them (topic, retry tiers, dead letter, tier-of) carries the prefix. */
  readonly specs: readonly TopicSpec[];
  /** Catalogue name → private name, for the topics copied. */
  readonly names: Readonly<Record<string, string>>;
  /** The private name of a copied catalogue topic, e.g. `name('events.raw')` → `t-3f9a0c1b2d4e.events.raw`; throws for one not copied. */
  name(catalogueName: string): string;
  /** Deletes the copies (idempotent). The stack's `stop` calls it too, so a test that forgets still cleans up. */
  delete(): Promise<void>;
}

/** `spec` under `prefix`: every topic name it mentions is prefixed, so a copy's siblings are copies too. */
export function prefixedSpec(spec: TopicSpec, prefix: string): TopicSpec {
  const p = (name: string) => `${prefix}.${name}`;
  return {
    ...spec,
    name: p(spec.name),
    retryTiers: spec.retryTiers.map((tier) => ({ ...tier, topic: p(tier.topic) })),
    retryTierOf: spec.retryTierOf === null ? null : p(spec.retryTierOf),
    deadLetter: spec.deadLetter === null ? null : p(spec.deadLetter),
  };
}

/**
 * Creates copies of catalogue topics (names or specs) with the catalogue's partitions and configs
 * (`desiredConfigs`, as `stratum topics apply` would) under a unique prefix, and registers their
 * deletion with the stack.
 */
export async function uniqueTopics(stack: TestStack, topics: readonly (string | TopicSpec)[], options: UniqueTopicsOptions = {}): Promise<UniqueTopics> {
  const prefix = options.prefix ?? uniqueName('t');
  const originals = topics.map((t) => (typeof t === 'string' ? topicNamed(t) : t));
  const specs = originals.map((spec) => prefixedSpec(spec, prefix));
  const names = Object.fromEntries(originals.map((spec, i) => [spec.name, specs[i]!.name]));
  const { brokers } = await stack.admin.describeCluster();
  const cluster = { brokers: brokers.length, replicationFactor: defaultReplicationFactor(brokers.length) };
  const created = await stack.admin
    .createTopics({
      waitForLeaders: true,
      timeout: 10_000,
      topics: specs.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: cluster.replicationFactor,
        configEntries: Object.entries(desiredConfigs(spec, cluster)).map(([name, value]) => ({ name, value })),
      })),
    })
    .catch((err: unknown) => {
      throw new HarnessError('kafka_failed', `uniqueTopics: creating ${specs.map((s) => s.name).join(', ')} failed: ${messageOf(err)}`, { cause: err });
    });
  if (!created) throw new HarnessError('misuse', `uniqueTopics: some of ${specs.map((s) => s.name).join(', ')} already existed (prefix ${prefix} reused?)`);
  let deleting: Promise<void> | undefined;
  const remove = () => (deleting ??= deleteTopics(stack, specs.map((s) => s.name)));
  stack.onStop(remove);
  return {
    prefix,
    specs,
    names,
    name(catalogueName) {
      const name = names[catalogueName];
      if (name === undefined) throw new HarnessError('misuse', `uniqueTopics: ${catalogueName} was not copied (copied: ${Object.keys(names).join(', ')})`);
      return name;
    },
    delete: remove,
  };
}

async function deleteTopics(stack: TestStack, topics: string[]): Promise<void> {
  try {
    await stack.admin.deleteTopics({ topics, timeout: 10_000 });
  } catch (err) {
    throw new HarnessError('cleanup_failed', `uniqueTopics: deleting ${topics.join(', ')} failed: ${messageOf(err)}`, { cause: err });
  }
}
