/**
 * InitProducerId (key 22), v0–1.
 *   Request: transactional_id nullable string, transaction_timeout_ms i32
 *   Response: throttle_time_ms i32, error_code i16, producer_id i64, producer_epoch i16
 */
import { defineApi } from '../protocol/api';
import type { InitProducerResult } from '../txn/coordinator';

export const initProducerIdApi = defineApi<{ transactionalId: string | null; timeoutMs: number }, InitProducerResult>({
  key: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    return { transactionalId: r.nullableString(), timeoutMs: r.int32() };
  },
  encode(w, _v, res) {
    w.int32(0).int16(res.errorCode).int64(res.producerId).int16(res.epoch);
  },
  async handle(broker, req) {
    const res = broker.txns.initProducerId(req.transactionalId, req.timeoutMs);
    await broker.flusher.flushed();
    return res;
  },
});
