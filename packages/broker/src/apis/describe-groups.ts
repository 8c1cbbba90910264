/**
 * DescribeGroups (key 15), v0–2 (v1 and v2 share v0's layout after the throttle time).
 *   Request: groups [string]
 *   Response: (v1+) throttle_time_ms i32,
 *             groups [error_code i16, group_id string, group_state string, protocol_type string, protocol_data string,
 *                     members [member_id string, client_id string, client_host string, member_metadata bytes, member_assignment bytes]]
 * An unknown group is reported with state "Dead" and no error, as Kafka does. Member metadata
 * and assignments are only filled while the group is Stable.
 */
import { defineApi } from '../protocol/api';
import type { GroupDescription } from '../groups/types';

/** DescribeGroups: state, protocol and members of each group. */
export const describeGroupsApi = defineApi<{ groups: string[] }, GroupDescription[]>({
  key: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 2,
  decode(r) {
    return { groups: r.array((r) => r.string()) };
  },
  encode(w, version, res) {
    if (version >= 1) w.int32(0);
    w.array(res, (w, g) => {
      w.int16(g.errorCode).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocolName);
      w.array(g.members, (w, m) => w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment));
    });
  },
  handle(broker, req) {
    return req.groups.map((id) => broker.groups.describeGroup(id));
  },
});
