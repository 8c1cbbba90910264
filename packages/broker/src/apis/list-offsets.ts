/**
 * ListOffsets (key 2), v1–3.
 *   Request: replica_id i32, (v2+) isolation_level i8, topics [name string, partitions [partition_index i32, timestamp i64]]
 *   Response: (v2+) throttle_time_ms i32, topics [name string, partitions [partition_index i32, error_code i16, timestamp i64, offset i64]]
 * timestamp -1 = latest (the high watermark, or the last stable offset under READ_COMMITTED),
 * -2 = earliest (log start), otherwise the first offset whose timestamp is >= it (-1 if none).
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';

const LATEST = -1;
const EARLIEST = -2;

interface ListOffsetsRequest {
  isolationLevel: number;
  topics: { name: string; partitions: { index: number; timestamp: number }[] }[];
}
interface ListOffsetsResponse {
  topics: { name: string; partitions: { index: number; errorCode: number; timestamp: number; offset: number }[] }[];
}

export const listOffsetsApi = defineApi<ListOffsetsRequest, ListOffsetsResponse>({
  key: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 3,
  decode(r, version) {
    r.int32(); // replica_id
    const isolationLevel = version >= 2 ? r.int8() : 0;
    const topics = r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ index: r.int32(), timestamp: r.int64() })) }));
    return { isolationLevel, topics };
  },
  encode(w, version, res) {
    if (version >= 2) w.int32(0);
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.index).int16(p.errorCode).int64(p.timestamp).int64(p.offset));
    });
  },
  handle(broker, req) {
    return {
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map(({ index, timestamp }) => {
          const p = broker.topics.partition(t.name, index);
          if (!p) return { index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1 };
          let offset: number;
          if (timestamp === LATEST) offset = req.isolationLevel === 1 ? p.lastStableOffset : p.highWatermark;
          else if (timestamp === EARLIEST) offset = p.log.logStartOffset;
          else offset = p.log.offsetForTimestamp(timestamp) ?? -1;
          return { index, errorCode: ErrorCode.NONE, timestamp: -1, offset };
        }),
      })),
    };
  },
});
