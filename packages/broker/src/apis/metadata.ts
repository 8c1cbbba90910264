/**
 * Metadata (key 3), v1–4. kafkajs sends a null topic array for "all topics" and relies on
 * controller_id (CreateTopics and idempotent InitProducerId go to the controller).
 *   Request v1–3: topics nullable [name string]   v4: + allow_auto_topic_creation bool
 *   Response v1: brokers [node_id i32, host string, port i32, rack nullable string], controller_id i32,
 *                topics [error_code i16, name string, is_internal bool,
 *                        partitions [error_code i16, partition_index i32, leader_id i32, replica_nodes [i32], isr_nodes [i32]]]
 *            v2: cluster_id nullable string after brokers.   v3–4: throttle_time_ms i32 first.
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { BrokerState } from '../broker-state';
import { topicNameProblem, type Topic } from '../topics/registry';

interface MetadataRequest {
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}

interface TopicMetadata {
  errorCode: number;
  name: string;
  partitions: number[];
}

interface MetadataResponse {
  nodeId: number;
  host: string;
  port: number;
  clusterId: string;
  topics: TopicMetadata[];
}

/** Creates a topic on first use when the broker and the client both allow it. */
export function autoCreate(broker: BrokerState, name: string): Topic | undefined {
  if (!broker.config.autoCreateTopics || topicNameProblem(name)) return undefined;
  return broker.topics.create(name, broker.config.defaultPartitions, {});
}

const describe = (t: Topic): TopicMetadata => ({ errorCode: ErrorCode.NONE, name: t.name, partitions: t.partitions.map((p) => p.index) });

export const metadataApi = defineApi<MetadataRequest, MetadataResponse>({
  key: 3,
  name: 'Metadata',
  minVersion: 1,
  maxVersion: 4,
  decode(r, version) {
    const topics = r.nullableArray((r) => r.string());
    return { topics, allowAutoTopicCreation: version >= 4 ? r.bool() : true };
  },
  encode(w, version, res) {
    if (version >= 3) w.int32(0);
    w.array([res], (w, b) => w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(null));
    if (version >= 2) w.nullableString(res.clusterId);
    w.int32(res.nodeId);
    w.array(res.topics, (w, t) => {
      w.int16(t.errorCode).string(t.name).bool(false);
      w.array(t.partitions, (w, p) => {
        w.int16(ErrorCode.NONE).int32(p).int32(res.nodeId);
        w.array([res.nodeId], (w, n) => w.int32(n));
        w.array([res.nodeId], (w, n) => w.int32(n));
      });
    });
  },
  handle(broker, req) {
    const { config } = broker;
    let topics: TopicMetadata[];
    if (req.topics === null) {
      topics = broker.topics.list().map(describe);
    } else {
      topics = req.topics.map((name) => {
        if (topicNameProblem(name)) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, partitions: [] };
        const topic = broker.topics.get(name) ?? (req.allowAutoTopicCreation ? autoCreate(broker, name) : undefined);
        return topic ? describe(topic) : { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] };
      });
    }
    return { nodeId: config.nodeId, host: config.advertisedHost, port: config.port, clusterId: broker.clusterId, topics };
  },
});
