/**
 * Heartbeat (key 12), v0–3.
 *   Request: group_id string, generation_id i32, member_id string, (v3+) group_instance_id nullable string
 *   Response: (v1+) throttle_time_ms i32, error_code i16
 * REBALANCE_IN_PROGRESS is how a member learns it must rejoin.
 */
import { defineApi } from '../protocol/api';

/** A decoded Heartbeat request. */
export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

/** Heartbeat: keeps a member's session alive. */
export const heartbeatApi = defineApi<HeartbeatRequest, { errorCode: number }>({
  key: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,
  decode(r, version) {
    return { groupId: r.string(), generationId: r.int32(), memberId: r.string(), groupInstanceId: version >= 3 ? r.nullableString() : null };
  },
  encode(w, version, res) {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode);
  },
  handle(broker, req) {
    return { errorCode: broker.groups.heartbeat(req.groupId, req.memberId, req.generationId) };
  },
});
