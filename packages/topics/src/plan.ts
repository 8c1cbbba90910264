/**
 * The diff at the heart of `stratum topics apply`: what the catalogue wants of a topic, what the
 * cluster has, and the actions (or findings) that close the gap. Pure: no Kafka here.
 */
import type { TopicSpec } from './topic-spec';

/** What the catalogue wants on a particular cluster. */
export interface DesiredTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Every config the catalogue manages, with Kafka's names and string values. */
  readonly configs: Readonly<Record<string, string>>;
}

/** Where a config value comes from (kafkajs ConfigSource, reduced to what matters here). */
export type ConfigOrigin = 'topic' | 'default' | 'broker';

export interface ActualConfig {
  readonly value: string | null;
  readonly origin: ConfigOrigin;
}

/** What the cluster has for a topic (from Metadata and DescribeConfigs). */
export interface ActualTopic {
  readonly name: string;
  readonly partitions: number;
  /** The smallest replica count over the topic's partitions. */
  readonly replicationFactor: number;
  readonly configs: ReadonlyMap<string, ActualConfig>;
}

export interface ConfigChange {
  readonly name: string;
  /** The current value; null when the cluster does not report the config at all. */
  readonly from: string | null;
  readonly to: string;
}

export type Action =
  | { readonly kind: 'create'; readonly partitions: number; readonly replicationFactor: number; readonly configs: Readonly<Record<string, string>> }
  /**
   * `entries` is the whole set to send: legacy AlterConfigs (the one kafkajs speaks) replaces a
   * topic's overrides, so overrides the catalogue does not manage are sent back unchanged.
   */
  | { readonly kind: 'alter-configs'; readonly changes: readonly ConfigChange[]; readonly entries: Readonly<Record<string, string>> }
  | { readonly kind: 'add-partitions'; readonly from: number; readonly to: number };

export const FINDING_CODES = [
  /** Fewer partitions than the catalogue and no --allow-partition-increase. */
  'partitions_below_catalogue',
  /** More partitions than the catalogue: Kafka cannot remove partitions. */
  'partitions_above_catalogue',
  /** A replication factor other than the one wanted: changing it takes a reassignment. */
  'replication_factor_differs',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  readonly code: FindingCode;
  readonly message: string;
}

export interface TopicPlan {
  readonly topic: string;
  readonly actions: readonly Action[];
  /** Differences the plan does not fix: left as they are, they make apply exit 1. */
  readonly problems: readonly Finding[];
  /** Differences worth knowing that do not fail apply. */
  readonly warnings: readonly Finding[];
}

export interface PlanOptions {
  /** Increase partitions when the topic has fewer than the catalogue (moves keys: see below). */
  readonly allowPartitionIncrease: boolean;
}

/** Why adding partitions is opt-in: said wherever apply reports or does it. */
export const PARTITION_INCREASE_WARNING =
  'adding partitions moves keys to other partitions: per-key ordering breaks for records in flight, and keyed state (dedup windows, co-location) no longer lines up';

/** The catalogue's default replication factor on a cluster of `brokers` nodes: min(3, brokers). */
export function defaultReplicationFactor(brokers: number): number {
  return Math.max(1, Math.min(3, brokers));
}

/** Where the topics are applied: the replication factor and the cluster's size. */
export interface ClusterShape {
  readonly replicationFactor: number;
  /** Brokers in the cluster; 1 = a single node (the embedded broker, a laptop Kafka). */
  readonly brokers: number;
}

/** min.insync.replicas for a replication factor: acks=all then survives one replica down. */
const minInsyncReplicas = (replicationFactor: number) => String(Math.max(1, Math.min(2, replicationFactor)));

/**
 * Every config the catalogue sets on a topic. min.insync.replicas = min(2, RF) is managed on
 * multi-node clusters only: a single node has nothing to require.
 */
export function desiredConfigs(spec: TopicSpec, cluster: ClusterShape): Record<string, string> {
  const configs: Record<string, string> = {
    'cleanup.policy': spec.cleanupPolicy,
    'retention.ms': String(spec.retentionMs),
    ...spec.configs,
  };
  if (cluster.brokers > 1) configs['min.insync.replicas'] = minInsyncReplicas(cluster.replicationFactor);
  return configs;
}

/** The catalogue entry as it should exist on a given cluster. */
export function desiredTopic(spec: TopicSpec, cluster: ClusterShape): DesiredTopic {
  return { name: spec.name, partitions: spec.partitions, replicationFactor: cluster.replicationFactor, configs: desiredConfigs(spec, cluster) };
}

/** Two values of one config that mean the same (cleanup.policy lists are unordered). */
export function sameConfigValue(name: string, a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (name === 'cleanup.policy') return normalisePolicy(a) === normalisePolicy(b);
  return a.trim() === b.trim();
}

const normalisePolicy = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .sort()
    .join(',');

/** Compares desired with actual (undefined = the topic does not exist) and plans the fix. */
export function planTopic(desired: DesiredTopic, actual: ActualTopic | undefined, options: PlanOptions): TopicPlan {
  if (!actual) {
    return {
      topic: desired.name,
      actions: [{ kind: 'create', partitions: desired.partitions, replicationFactor: desired.replicationFactor, configs: desired.configs }],
      problems: [],
      warnings: [],
    };
  }
  const actions: Action[] = [];
  const problems: Finding[] = [];
  const warnings: Finding[] = [];

  // min.insync.replicas follows the replicas the topic really has: requiring 2 of a topic that
  // has 1 would refuse every acks=all write.
  const wanted: Record<string, string> = { ...desired.configs };
  if ('min.insync.replicas' in wanted) wanted['min.insync.replicas'] = minInsyncReplicas(actual.replicationFactor);

  const changes: ConfigChange[] = [];
  for (const [name, want] of Object.entries(wanted)) {
    const have = actual.configs.get(name)?.value ?? null;
    if (!sameConfigValue(name, have, want)) changes.push({ name, from: have, to: want });
  }
  if (changes.length) {
    const entries: Record<string, string> = {};
    for (const [name, c] of actual.configs) if (c.origin === 'topic' && c.value !== null) entries[name] = c.value;
    Object.assign(entries, wanted);
    actions.push({ kind: 'alter-configs', changes, entries });
  }

  if (actual.partitions < desired.partitions) {
    if (options.allowPartitionIncrease) actions.push({ kind: 'add-partitions', from: actual.partitions, to: desired.partitions });
    else {
      problems.push({
        code: 'partitions_below_catalogue',
        message: `partitions ${actual.partitions}, catalogue ${desired.partitions}: not increased (${PARTITION_INCREASE_WARNING}; pass --allow-partition-increase to do it anyway)`,
      });
    }
  } else if (actual.partitions > desired.partitions) {
    warnings.push({
      code: 'partitions_above_catalogue',
      message: `partitions ${actual.partitions}, catalogue ${desired.partitions}: left as is (Kafka cannot remove partitions; update the catalogue or recreate the topic)`,
    });
  }

  if (actual.replicationFactor !== desired.replicationFactor) {
    warnings.push({
      code: 'replication_factor_differs',
      message: `replication factor ${actual.replicationFactor}, wanted ${desired.replicationFactor}: left as is (changing it takes a partition reassignment, e.g. kafka-reassign-partitions.sh)`,
    });
  }
  return { topic: desired.name, actions, problems, warnings };
}
