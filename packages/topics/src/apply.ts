/**
 * `stratum topics apply`: make any Kafka (the embedded broker or Apache Kafka) match the
 * catalogue, idempotently. Reads Metadata + DescribeConfigs, plans per topic (plan.ts), then
 * creates, alters configs or adds partitions — or, with `check`, only reports.
 */
import kafkajs, { type Admin, type ConfigEntries, type ITopicConfig } from 'kafkajs';
import { topicCatalogue } from './catalogue';
import { TopicsError } from './errors';
import {
  defaultReplicationFactor,
  desiredTopic,
  planTopic,
  type Action,
  type ActualConfig,
  type ActualTopic,
  type ConfigOrigin,
  type TopicPlan,
} from './plan';
import { summarise, topicReport, type ApplyReport, type TopicReport } from './report';
import type { TopicSpec } from './topic-spec';

// kafkajs is CommonJS and its enums are not visible to Node's ESM named-export detection (tsx runs
// this as ESM), so they come off the default export.
const { ConfigResourceTypes, ConfigSource, Kafka, logLevel } = kafkajs;

export interface ApplyOptions {
  /** Bootstrap servers, host:port. */
  readonly brokers: readonly string[];
  /** Only report differences; change nothing. */
  readonly check?: boolean;
  /** Default: min(3, brokers in the cluster). */
  readonly replicationFactor?: number;
  /** Increase partitions of topics that have fewer than the catalogue (moves keys). */
  readonly allowPartitionIncrease?: boolean;
  /** The topics to apply; default the whole catalogue (tests pass their own). */
  readonly topics?: readonly TopicSpec[];
  /** How long to keep trying to reach the cluster before giving up; default 30 s. */
  readonly connectTimeoutMs?: number;
}

const CONNECT_TIMEOUT_MS = 30_000;
/** Per request; creating a topic on a big cluster waits for leader election. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Applies the catalogue (or `options.topics`) to a cluster and reports what it did per topic. */
export async function applyTopics(options: ApplyOptions): Promise<ApplyReport> {
  const catalogue = options.topics ?? topicCatalogue;
  const admin = new Kafka({
    clientId: 'stratum-topics',
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: REQUEST_TIMEOUT_MS,
    retry: { retries: 5, initialRetryTime: 250, maxRetryTime: 5_000 },
  }).admin();
  await connect(admin, options.brokers, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  try {
    const { brokers: nodes } = await request('describe the cluster', () => admin.describeCluster());
    const replicationFactor = options.replicationFactor ?? defaultReplicationFactor(nodes.length);
    if (!Number.isInteger(replicationFactor) || replicationFactor < 1 || replicationFactor > nodes.length) {
      throw new TopicsError('invalid_option', `--replication-factor ${replicationFactor}: the cluster has ${nodes.length} broker(s)`);
    }
    const cluster = { brokers: nodes.length, replicationFactor };
    const actual = await readTopics(admin, catalogue);
    const plans = catalogue.map((t) => planTopic(desiredTopic(t, cluster), actual.get(t.name), { allowPartitionIncrease: options.allowPartitionIncrease ?? false }));
    const topics = options.check ? plans.map(checkOnly) : await execute(admin, plans);
    return summarise(options.check ? 'check' : 'apply', options.brokers, cluster, topics);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function connect(admin: Admin, brokers: readonly string[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  try {
    await Promise.race([admin.connect(), deadline]);
  } catch (err) {
    await admin.disconnect().catch(() => undefined);
    throw new TopicsError('kafka_unreachable', `cannot reach Kafka at ${brokers.join(',')}: ${kafkaMessage(err)}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

async function request<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new TopicsError('kafka_request_failed', `could not ${what}: ${kafkaMessage(err)}`, { cause: err });
  }
}

/** Partitions, replication and configs of the catalogue topics that exist. */
async function readTopics(admin: Admin, catalogue: readonly TopicSpec[]): Promise<Map<string, ActualTopic>> {
  // List first, then ask only for topics that exist: a Metadata request naming a missing topic
  // auto-creates it with the broker's default partitions on brokers that allow that.
  const existing = new Set(await request('list topics', () => admin.listTopics()));
  const names = catalogue.map((t) => t.name).filter((n) => existing.has(n));
  const out = new Map<string, ActualTopic>();
  if (!names.length) return out;
  const metadata = await request('fetch topic metadata', () => admin.fetchTopicMetadata({ topics: names }));
  const described = await request('describe topic configs', () =>
    admin.describeConfigs({ resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })), includeSynonyms: false }),
  );
  const configsOf = new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));
  for (const t of metadata.topics) {
    const configs = new Map<string, ActualConfig>();
    for (const e of configsOf.get(t.name) ?? []) configs.set(e.configName, { value: e.configValue ?? null, origin: originOf(e) });
    out.set(t.name, {
      name: t.name,
      partitions: t.partitions.length,
      replicationFactor: Math.min(...t.partitions.map((p) => p.replicas.length)),
      configs,
    });
  }
  return out;
}

function originOf(e: ConfigEntries): ConfigOrigin {
  switch (e.configSource) {
    case ConfigSource.TOPIC_CONFIG:
      return 'topic';
    case ConfigSource.DEFAULT_CONFIG:
      return 'default';
    case ConfigSource.UNKNOWN:
    case undefined:
      // DescribeConfigs v0 has no source, only is_default.
      return e.isDefault ? 'default' : 'topic';
    default:
      return 'broker';
  }
}

const checkOnly = (plan: TopicPlan): TopicReport => topicReport(plan, { applied: [], pending: plan.actions, error: null });

async function execute(admin: Admin, plans: TopicPlan[]): Promise<TopicReport[]> {
  const creates = plans.flatMap((p) => p.actions.flatMap((a) => (a.kind === 'create' ? [{ topic: p.topic, action: a }] : [])));
  const createErrors = creates.length ? await createAll(admin, creates) : new Map<string, string>();
  const reports: TopicReport[] = [];
  for (const plan of plans) {
    const applied: Action[] = [];
    let error: string | null = null;
    for (const action of plan.actions) {
      error = action.kind === 'create' ? (createErrors.get(plan.topic) ?? null) : await change(admin, plan.topic, action);
      if (error) break;
      applied.push(action);
    }
    reports.push(topicReport(plan, { applied, pending: [], error }));
  }
  return reports;
}

type CreateAction = Extract<Action, { kind: 'create' }>;

const topicConfig = (topic: string, a: CreateAction, configs = a.configs): ITopicConfig => ({
  topic,
  numPartitions: a.partitions,
  replicationFactor: a.replicationFactor,
  configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
});

/** Creates every missing topic in one request; returns an error per topic that failed. */
async function createAll(admin: Admin, creates: { topic: string; action: CreateAction }[]): Promise<Map<string, string>> {
  const errors = new Map<string, string>();
  try {
    // kafkajs answers false, not an error, when every topic already existed: created meanwhile by someone else.
    const created = await admin.createTopics({ topics: creates.map((c) => topicConfig(c.topic, c.action)), timeout: REQUEST_TIMEOUT_MS });
    if (!created) for (const c of creates) errors.set(c.topic, 'create failed: TOPIC_ALREADY_EXISTS: created by someone else meanwhile; run apply again to check it');
  } catch (err) {
    const perTopic = (err as { errors?: unknown[] }).errors;
    if (!Array.isArray(perTopic)) {
      for (const c of creates) errors.set(c.topic, `create failed: ${kafkaMessage(err)}`);
      return errors;
    }
    for (const e of perTopic) {
      const topic = (e as { topic?: string }).topic;
      const c = creates.find((x) => x.topic === topic);
      if (!c) continue;
      const rejected = isInvalidConfig(e) ? await rejectedCreateConfigs(admin, c.topic, c.action) : [];
      errors.set(c.topic, `create failed: ${kafkaMessage(e)}${rejectedSuffix(rejected)}`);
    }
  }
  return errors;
}

/** Makes one change to an existing topic; returns why it failed, or null. */
async function change(admin: Admin, topic: string, action: Exclude<Action, CreateAction>): Promise<string | null> {
  try {
    if (action.kind === 'alter-configs') {
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: entries(action.entries) }] });
    } else {
      await admin.createPartitions({ topicPartitions: [{ topic, count: action.to }], timeout: REQUEST_TIMEOUT_MS });
    }
    return null;
  } catch (err) {
    if (action.kind === 'alter-configs') {
      const rejected = isInvalidConfig(err) ? await rejectedAlterConfigs(admin, topic, action.entries) : [];
      return `altering configs failed: ${kafkaMessage(err)}${rejectedSuffix(rejected)}`;
    }
    return `adding partitions failed: ${kafkaMessage(err)}`;
  }
}

const entries = (configs: Readonly<Record<string, string>>) => Object.entries(configs).map(([name, value]) => ({ name, value }));

// kafkajs drops the broker's error message, so INVALID_CONFIG alone does not say which config
// the cluster refused. Validate-only requests, one config at a time, find it.

async function rejectedCreateConfigs(admin: Admin, topic: string, action: CreateAction): Promise<string[]> {
  return rejectedOf(action.configs, (name, value) =>
    admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [topicConfig(topic, action, { [name]: value })] }),
  );
}

async function rejectedAlterConfigs(admin: Admin, topic: string, configs: Readonly<Record<string, string>>): Promise<string[]> {
  return rejectedOf(configs, (name, value) =>
    admin.alterConfigs({ validateOnly: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name, value }] }] }),
  );
}

async function rejectedOf(configs: Readonly<Record<string, string>>, probe: (name: string, value: string) => Promise<unknown>): Promise<string[]> {
  const rejected: string[] = [];
  for (const [name, value] of Object.entries(configs)) {
    try {
      await probe(name, value);
    } catch (err) {
      if (isInvalidConfig(err) || isInvalidConfig((err as { errors?: unknown[] }).errors?.[0])) rejected.push(`${name}=${value}`);
    }
  }
  return rejected;
}

const rejectedSuffix = (rejected: string[]) => (rejected.length ? ` (the cluster rejects ${rejected.join(', ')})` : '');

const isInvalidConfig = (err: unknown) => (err as { type?: string } | undefined)?.type === 'INVALID_CONFIG';

/** A kafkajs error as `TYPE: message`, unwrapping retry wrappers. */
function kafkaMessage(err: unknown): string {
  const e = innermost(err) as { type?: string; message?: string };
  const message = e.message ?? String(err);
  return e.type && !message.includes(e.type) ? `${e.type}: ${message}` : message;
}

function innermost(err: unknown): unknown {
  let e = err as { cause?: unknown; originalError?: unknown } | undefined;
  for (let i = 0; i < 5 && e; i++) {
    const next = (e.originalError ?? e.cause) as typeof e;
    if (!next) break;
    e = next;
  }
  return e ?? err;
}
