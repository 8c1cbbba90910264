/**
 * ListGroups (key 16), v0–2 (v1 and v2 add only the throttle time).
 *   Request: (empty)
 *   Response: (v1+) throttle_time_ms i32, error_code i16, groups [group_id string, protocol_type string]
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { ListedGroup } from '../groups/coordinator';

/** ListGroups: every group this coordinator knows, with its protocol type. */
export const listGroupsApi = defineApi<Record<string, never>, { errorCode: number; groups: ListedGroup[] }>({
  key: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  decode() {
    return {};
  },
  encode(w, version, res) {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode).array(res.groups, (w, g) => w.string(g.groupId).string(g.protocolType));
  },
  handle(broker) {
    return { errorCode: ErrorCode.NONE, groups: broker.groups.listGroups() };
  },
});
