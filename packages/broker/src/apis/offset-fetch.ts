/**
 * OffsetFetch (key 9), v1–4.
 *   Request: group_id string, topics [name string, partition_indexes [i32]]   (v2+: null topics = all committed)
 *   Response: (v3+) throttle_time_ms i32,
 *             topics [name string, partitions [partition_index i32, committed_offset i64, metadata nullable string, error_code i16]],
 *             (v2+) error_code i16
 * A partition without a commit answers offset -1 and metadata "" (Kafka's NO_METADATA), not an error.
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { Reader } from '../protocol/reader';
import type { FetchedOffset } from '../groups/coordinator';

/** A decoded OffsetFetch request. */
export interface OffsetFetchRequest {
  groupId: string;
  topics: { name: string; partitions: number[] }[] | null;
}

/** Committed offsets by topic, plus the group-level error (v2+). */
export interface OffsetFetchResponse {
  topics: { name: string; partitions: FetchedOffset[] }[];
  errorCode: number;
}

/** OffsetFetch: where a group resumes. */
export const offsetFetchApi = defineApi<OffsetFetchRequest, OffsetFetchResponse>({
  key: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 4,
  decode(r, version) {
    const groupId = r.string();
    const topic = (r: Reader) => ({ name: r.string(), partitions: r.array((r) => r.int32()) });
    const topics = version >= 2 ? r.nullableArray(topic) : r.array(topic);
    return { groupId, topics };
  },
  encode(w, version, res) {
    if (version >= 3) w.int32(0);
    w.array(res.topics, (w, t) =>
      w.string(t.name).array(t.partitions, (w, p) => w.int32(p.partition).int64(p.offset).nullableString(p.metadata).int16(p.errorCode)),
    );
    if (version >= 2) w.int16(res.errorCode);
  },
  handle(broker, req) {
    if (req.groupId === '') {
      // v1 has no group-level error field, so the error also goes on every partition.
      const failed = (partition: number) => ({ partition, offset: -1, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.INVALID_GROUP_ID });
      return { topics: (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitions.map(failed) })), errorCode: ErrorCode.INVALID_GROUP_ID };
    }
    return { topics: broker.groups.fetchOffsets(req.groupId, req.topics), errorCode: ErrorCode.NONE };
  },
});
