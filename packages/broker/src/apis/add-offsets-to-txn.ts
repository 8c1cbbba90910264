/**
 * AddOffsetsToTxn (key 25), v0–1 (same layout).
 *   Request: transactional_id string, producer_id i64, producer_epoch i16, group_id string
 *   Response: throttle_time_ms i32, error_code i16
 */
import { defineApi } from '../protocol/api';

interface Req {
  transactionalId: string;
  producerId: number;
  epoch: number;
  groupId: string;
}

export const addOffsetsToTxnApi = defineApi<Req, { errorCode: number }>({
  key: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    return { transactionalId: r.string(), producerId: r.int64(), epoch: r.int16(), groupId: r.string() };
  },
  encode(w, _v, res) {
    w.int32(0).int16(res.errorCode);
  },
  async handle(broker, req) {
    const errorCode = broker.txns.addOffsets(req.transactionalId, req.producerId, req.epoch, req.groupId);
    await broker.flusher.flushed();
    return { errorCode };
  },
});
