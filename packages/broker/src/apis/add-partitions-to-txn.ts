/**
 * AddPartitionsToTxn (key 24), v0–1 (same layout).
 *   Request: transactional_id string, producer_id i64, producer_epoch i16, topics [name string, partitions [i32]]
 *   Response: throttle_time_ms i32, results [name string, results [partition_index i32, error_code i16]]
 */
import { defineApi } from '../protocol/api';

interface Req {
  transactionalId: string;
  producerId: number;
  epoch: number;
  topics: { name: string; partitions: number[] }[];
}
type Res = { name: string; partitions: { index: number; errorCode: number }[] }[];

export const addPartitionsToTxnApi = defineApi<Req, Res>({
  key: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    return {
      transactionalId: r.string(),
      producerId: r.int64(),
      epoch: r.int16(),
      topics: r.array((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) })),
    };
  },
  encode(w, _v, res) {
    w.int32(0).array(res, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p.index).int16(p.errorCode)));
  },
  async handle(broker, req) {
    const res = broker.txns.addPartitions(req.transactionalId, req.producerId, req.epoch, req.topics);
    await broker.flusher.flushed();
    return res;
  },
});
