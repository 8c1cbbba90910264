/**
 * FindCoordinator (key 10), v0–2. A single node coordinates every group and transaction.
 *   Request v0: key string   v1–2: + key_type i8 (0 group, 1 transaction)
 *   Response v0: error_code i16, node_id i32, host string, port i32
 *            v1–2: throttle_time_ms i32, error_code i16, error_message nullable string, node_id i32, host string, port i32
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';

interface FindCoordinatorResponse {
  errorCode: number;
  message: string | null;
  nodeId: number;
  host: string;
  port: number;
}

export const findCoordinatorApi = defineApi<{ key: string; keyType: number }, FindCoordinatorResponse>({
  key: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  decode(r, version) {
    return { key: r.string(), keyType: version >= 1 ? r.int8() : 0 };
  },
  encode(w, version, res) {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode);
    if (version >= 1) w.nullableString(res.message);
    w.int32(res.nodeId).string(res.host).int32(res.port);
  },
  handle(broker, req) {
    const { nodeId, advertisedHost, port } = broker.config;
    if (req.keyType !== 0 && req.keyType !== 1) {
      return { errorCode: ErrorCode.INVALID_REQUEST, message: `unknown key_type ${req.keyType}`, nodeId: -1, host: '', port: -1 };
    }
    return { errorCode: ErrorCode.NONE, message: null, nodeId, host: advertisedHost, port };
  },
});
