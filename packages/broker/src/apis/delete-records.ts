/**
 * DeleteRecords (key 21), v0–1 (same layout).
 *   Request: topics [name string, partitions [partition_index i32, offset i64]], timeout_ms i32
 *   Response: throttle_time_ms i32, topics [name string, partitions [partition_index i32, low_watermark i64, error_code i16]]
 * offset -1 means "up to the high watermark".
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';

interface Req {
  topics: { name: string; partitions: { index: number; offset: number }[] }[];
}
type Res = { name: string; partitions: { index: number; lowWatermark: number; errorCode: number }[] }[];

export const deleteRecordsApi = defineApi<Req, Res>({
  key: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    const topics = r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ index: r.int32(), offset: r.int64() })) }));
    r.int32();
    return { topics };
  },
  encode(w, _v, res) {
    w.int32(0).array(res, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p.index).int64(p.lowWatermark).int16(p.errorCode)));
  },
  async handle(broker, req) {
    const res = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map(({ index, offset }) => {
        const p = broker.topics.partition(t.name, index);
        if (!p) return { index, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        const target = offset === -1 ? p.highWatermark : offset;
        if (target < 0 || target > p.highWatermark) return { index, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
        p.log.deleteRecordsBefore(target);
        p.pruneAborted();
        return { index, lowWatermark: p.log.logStartOffset, errorCode: ErrorCode.NONE };
      }),
    }));
    await broker.flusher.flushed();
    return res;
  },
});
