/**
 * LeaveGroup (key 13), v0–3.
 *   Request v0–2: group_id string, member_id string
 *           v3:   group_id string, members [member_id string, group_instance_id nullable string]
 *   Response: (v1+) throttle_time_ms i32, error_code i16,
 *             (v3) members [member_id string, group_instance_id nullable string, error_code i16]
 * Before v3 there is one member and its error is the response's error.
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { LeaveResult } from '../groups/types';

/** A decoded LeaveGroup request (v0–2 as a batch of one). */
export interface LeaveGroupRequest {
  groupId: string;
  members: { memberId: string; groupInstanceId: string | null }[];
}

/** LeaveGroup: members leave at once instead of waiting out their session. */
export const leaveGroupApi = defineApi<LeaveGroupRequest, { errorCode: number; members: LeaveResult[] }>({
  key: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,
  decode(r, version) {
    const groupId = r.string();
    if (version < 3) return { groupId, members: [{ memberId: r.string(), groupInstanceId: null }] };
    return { groupId, members: r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() })) };
  },
  encode(w, version, res) {
    if (version >= 1) w.int32(0);
    if (version < 3) {
      w.int16(res.errorCode !== ErrorCode.NONE ? res.errorCode : (res.members[0]?.errorCode ?? ErrorCode.NONE));
      return;
    }
    w.int16(res.errorCode);
    w.array(res.members, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode));
  },
  handle(broker, req) {
    return broker.groups.leaveGroup(req.groupId, req.members);
  },
});
