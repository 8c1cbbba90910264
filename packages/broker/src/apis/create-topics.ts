/**
 * CreateTopics (key 19), v2–4 (one layout; v4 lets partitions/replication be -1 = broker default).
 *   Request: topics [name string, num_partitions i32, replication_factor i16,
 *                    assignments [partition_index i32, broker_ids [i32]], configs [name string, value nullable string]],
 *            timeout_ms i32, validate_only bool
 *   Response: throttle_time_ms i32, topics [name string, error_code i16, error_message nullable string]
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { BrokerState } from '../broker-state';
import { topicNameProblem } from '../topics/registry';
import { validateTopicConfigs } from '../topics/topic-config';

interface TopicSpec {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { index: number; brokers: number[] }[];
  configs: { name: string; value: string | null }[];
}
interface Req {
  topics: TopicSpec[];
  validateOnly: boolean;
}
interface TopicResult {
  name: string;
  errorCode: number;
  message: string | null;
}

const fail = (name: string, errorCode: number, message: string): TopicResult => ({ name, errorCode, message });

/**
 * Kafka's limit on new partitions per CreateTopics/CreatePartitions request (KAFKA-17870,
 * KAFKA-19673). Each partition opens a log synchronously, so an unbounded count (2^31-1 from a
 * hostile client) would freeze the event loop and exhaust file descriptors.
 */
export const MAX_NEW_PARTITIONS_PER_REQUEST = 10_000;
/** Kafka's message for a request over that limit (PolicyViolationException). */
export const TOO_MANY_PARTITIONS = 'Excessively large number of partitions per request.';

/** How many partitions a topic spec asks for (assignments win, -1 is the broker default). */
function requestedPartitions(broker: BrokerState, t: TopicSpec): number {
  if (t.assignments.length) return t.assignments.length;
  return t.numPartitions === -1 ? broker.config.defaultPartitions : t.numPartitions;
}

/** Turns a request's config entries into a map (null values mean "default" and are dropped). */
export function configMap(entries: { name: string; value: string | null }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) if (e.value !== null) out[e.name] = e.value;
  return out;
}

function createOne(broker: BrokerState, t: TopicSpec, validateOnly: boolean): TopicResult {
  const nameProblem = topicNameProblem(t.name);
  if (nameProblem) return fail(t.name, ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
  if (broker.topics.get(t.name)) return fail(t.name, ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${t.name} already exists`);
  if (t.assignments.some((a) => a.brokers.some((b) => b !== broker.config.nodeId))) {
    return fail(t.name, ErrorCode.INVALID_REPLICATION_FACTOR, `only broker ${broker.config.nodeId} exists`);
  }
  const partitions = requestedPartitions(broker, t);
  if (partitions < 1) return fail(t.name, ErrorCode.INVALID_PARTITIONS, `number of partitions must be at least 1, got ${t.numPartitions}`);
  if (t.replicationFactor !== -1 && t.replicationFactor !== 1 && !t.assignments.length) {
    return fail(t.name, ErrorCode.INVALID_REPLICATION_FACTOR, `replication factor ${t.replicationFactor} is larger than the 1 available broker`);
  }
  const configs = configMap(t.configs);
  const configProblem = validateTopicConfigs(configs);
  if (configProblem) return fail(t.name, ErrorCode.INVALID_CONFIG, configProblem);
  if (!validateOnly) broker.topics.create(t.name, partitions, configs);
  return { name: t.name, errorCode: ErrorCode.NONE, message: null };
}

export const createTopicsApi = defineApi<Req, TopicResult[]>({
  key: 19,
  name: 'CreateTopics',
  minVersion: 2,
  maxVersion: 4,
  decode(r) {
    const topics = r.array((r) => ({
      name: r.string(),
      numPartitions: r.int32(),
      replicationFactor: r.int16(),
      assignments: r.array((r) => ({ index: r.int32(), brokers: r.array((r) => r.int32()) })),
      configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
    }));
    r.int32(); // timeout_ms: creation is synchronous here
    return { topics, validateOnly: r.bool() };
  },
  encode(w, _v, res) {
    w.int32(0).array(res, (w, t) => w.string(t.name).int16(t.errorCode).nullableString(t.message));
  },
  handle(broker, req) {
    // Like Kafka, the limit applies to the whole request and fails every topic in it.
    const total = req.topics.reduce((sum, t) => sum + Math.max(0, requestedPartitions(broker, t)), 0);
    if (total > MAX_NEW_PARTITIONS_PER_REQUEST) return req.topics.map((t) => fail(t.name, ErrorCode.POLICY_VIOLATION, TOO_MANY_PARTITIONS));
    return req.topics.map((t) => createOne(broker, t, req.validateOnly));
  },
});
