/**
 * EndTxn (key 26), v0–1 (same layout).
 *   Request: transactional_id string, producer_id i64, producer_epoch i16, committed bool
 *   Response: throttle_time_ms i32, error_code i16
 * Answered only once the COMMIT/ABORT markers and the applied offsets are durable.
 */
import { defineApi } from '../protocol/api';

interface Req {
  transactionalId: string;
  producerId: number;
  epoch: number;
  committed: boolean;
}

export const endTxnApi = defineApi<Req, { errorCode: number }>({
  key: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    return { transactionalId: r.string(), producerId: r.int64(), epoch: r.int16(), committed: r.bool() };
  },
  encode(w, _v, res) {
    w.int32(0).int16(res.errorCode);
  },
  async handle(broker, req) {
    const errorCode = broker.txns.endTxn(req.transactionalId, req.producerId, req.epoch, req.committed);
    await broker.flusher.flushed();
    return { errorCode };
  },
});
