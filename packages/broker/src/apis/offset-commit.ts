/**
 * OffsetCommit (key 8), v2–5. librdkafka 2.0.2 needs v2 in range for its balanced consumer.
 *   Request: group_id string, generation_id i32, member_id string, (v2–4) retention_time_ms i64,
 *            topics [name string, partitions [partition_index i32, committed_offset i64, committed_metadata nullable string]]
 *   Response: (v3+) throttle_time_ms i32, topics [name string, partitions [partition_index i32, error_code i16]]
 * Answered only once the offsets are durable in groups.log (flush policy). retention_time is
 * accepted and ignored: offsets live until their group or topic is deleted.
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { CommittedOffset } from '../groups/types';

/** Kafka's offset.metadata.max.bytes default. */
const MAX_METADATA_BYTES = 4096;

/** A decoded OffsetCommit request. */
export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  topics: { name: string; partitions: { index: number; offset: number; metadata: string | null }[] }[];
}

/** Per-partition results, in request order. */
export type OffsetCommitResponse = { name: string; partitions: { index: number; errorCode: number }[] }[];

/** OffsetCommit: a member (or an admin tool outside group management) stores its positions. */
export const offsetCommitApi = defineApi<OffsetCommitRequest, OffsetCommitResponse>({
  key: 8,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 5,
  decode(r, version) {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (version <= 4) r.int64();
    const topics = r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ index: r.int32(), offset: r.int64(), metadata: r.nullableString() })),
    }));
    return { groupId, generationId, memberId, topics };
  },
  encode(w, version, res) {
    if (version >= 3) w.int32(0);
    w.array(res, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p.index).int16(p.errorCode)));
  },
  async handle(broker, req) {
    const groupError = req.groupId === '' ? ErrorCode.INVALID_GROUP_ID : broker.groups.checkCommit(req.groupId, req.memberId, req.generationId);
    const accepted: CommittedOffset[] = [];
    const res = req.topics.map((t) => {
      const partitionCount = broker.topics.get(t.name)?.partitions.length ?? 0;
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          let errorCode: number = groupError;
          // Like Kafka, an unknown partition is reported as such whatever the group says.
          if (p.index < 0 || p.index >= partitionCount) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          else if (errorCode === ErrorCode.NONE && p.metadata !== null && Buffer.byteLength(p.metadata) > MAX_METADATA_BYTES) errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
          if (errorCode === ErrorCode.NONE) accepted.push({ topic: t.name, partition: p.index, offset: p.offset, leaderEpoch: -1, metadata: p.metadata });
          return { index: p.index, errorCode };
        }),
      };
    });
    if (accepted.length > 0) {
      broker.groups.commitOffsets(req.groupId, accepted);
      await broker.flusher.flushed();
    }
    return res;
  },
});
