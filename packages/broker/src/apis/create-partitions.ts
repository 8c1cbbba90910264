/**
 * CreatePartitions (key 37), v0–1 (same layout).
 *   Request: topics [name string, count i32, assignments nullable [broker_ids [i32]]], timeout_ms i32, validate_only bool
 *   Response: throttle_time_ms i32, results [name string, error_code i16, error_message nullable string]
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import { MAX_NEW_PARTITIONS_PER_REQUEST, TOO_MANY_PARTITIONS } from './create-topics';

interface Req {
  topics: { name: string; count: number }[];
  validateOnly: boolean;
}
type Res = { name: string; errorCode: number; message: string | null }[];

export const createPartitionsApi = defineApi<Req, Res>({
  key: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    const topics = r.array((r) => {
      const name = r.string();
      const count = r.int32();
      r.nullableArray((r) => r.array((r) => r.int32()));
      return { name, count };
    });
    r.int32();
    return { topics, validateOnly: r.bool() };
  },
  encode(w, _v, res) {
    w.int32(0).array(res, (w, t) => w.string(t.name).int16(t.errorCode).nullableString(t.message));
  },
  handle(broker, req) {
    // Kafka bounds the new partitions of the whole request (KAFKA-19673); see create-topics.ts.
    const added = req.topics.reduce((sum, t) => sum + Math.max(0, t.count - (broker.topics.get(t.name)?.partitions.length ?? t.count)), 0);
    if (added > MAX_NEW_PARTITIONS_PER_REQUEST) return req.topics.map(({ name }) => ({ name, errorCode: ErrorCode.POLICY_VIOLATION, message: TOO_MANY_PARTITIONS }));
    return req.topics.map(({ name, count }) => {
      const topic = broker.topics.get(name);
      if (!topic) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `topic ${name} does not exist` };
      if (count <= topic.partitions.length) {
        return { name, errorCode: ErrorCode.INVALID_PARTITIONS, message: `topic has ${topic.partitions.length} partitions; the new count ${count} must be larger` };
      }
      if (!req.validateOnly) broker.topics.addPartitions(name, count);
      return { name, errorCode: ErrorCode.NONE, message: null };
    });
  },
});
