/**
 * DeleteGroups (key 42), v0–1 (same layout).
 *   Request: groups_names [string]
 *   Response: throttle_time_ms i32, results [group_id string, error_code i16]
 * Only an Empty group can be deleted (NON_EMPTY_GROUP otherwise, GROUP_ID_NOT_FOUND if unknown);
 * its committed offsets are removed durably before the answer.
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';

/** DeleteGroups: removes empty groups and their offsets. */
export const deleteGroupsApi = defineApi<{ groups: string[] }, { groupId: string; errorCode: number }[]>({
  key: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    return { groups: r.array((r) => r.string()) };
  },
  encode(w, _version, res) {
    w.int32(0).array(res, (w, g) => w.string(g.groupId).int16(g.errorCode));
  },
  async handle(broker, req) {
    const results = req.groups.map((groupId) => ({ groupId, errorCode: broker.groups.deleteGroup(groupId) }));
    if (results.some((r) => r.errorCode === ErrorCode.NONE)) await broker.flusher.flushed();
    return results;
  },
});
