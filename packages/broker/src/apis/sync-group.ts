/**
 * SyncGroup (key 14), v0–3.
 *   Request: group_id string, generation_id i32, member_id string, (v3+) group_instance_id nullable string,
 *            assignments [member_id string, assignment bytes]   (only the leader sends assignments)
 *   Response: (v1+) throttle_time_ms i32, error_code i16, assignment bytes
 * A follower's answer is held until the leader's SyncGroup brings the assignment.
 */
import { defineApi } from '../protocol/api';
import type { SyncResult } from '../groups/types';

/** A decoded SyncGroup request. */
export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

/** SyncGroup: the leader distributes the assignment, every member receives its own. */
export const syncGroupApi = defineApi<SyncGroupRequest, SyncResult>({
  key: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  decode(r, version) {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    const groupInstanceId = version >= 3 ? r.nullableString() : null;
    const assignments = r.array((r) => ({ memberId: r.string(), assignment: r.bytes() ?? Buffer.alloc(0) }));
    return { groupId, generationId, memberId, groupInstanceId, assignments };
  },
  encode(w, version, res) {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode).bytes(res.assignment);
  },
  handle(broker, req, ctx) {
    return broker.groups.syncGroup(req, ctx.signal);
  },
});
