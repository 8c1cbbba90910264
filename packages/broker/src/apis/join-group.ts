/**
 * JoinGroup (key 11), v0–5. Advertised from v0: librdkafka 2.0.2 disables its balanced consumer
 * unless JoinGroup v0 is in range.
 *   Request: group_id string, session_timeout_ms i32, (v1+) rebalance_timeout_ms i32, member_id string,
 *            (v5+) group_instance_id nullable string, protocol_type string,
 *            protocols [name string, metadata bytes]
 *   Response: (v2+) throttle_time_ms i32, error_code i16, generation_id i32, protocol_name string,
 *             leader string, member_id string,
 *             members [member_id string, (v5+) group_instance_id nullable string, metadata bytes]
 * v4+: a member joining without an id gets MEMBER_ID_REQUIRED plus its id and joins again with it.
 * The answer is held until the rebalance completes (all members rejoined or the rebalance timeout).
 */
import { defineApi } from '../protocol/api';
import type { GroupProtocol, JoinResult } from '../groups/types';

/** A decoded JoinGroup request. */
export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: GroupProtocol[];
}

/** JoinGroup: enters (or re-enters) a group and waits for its next generation. */
export const joinGroupApi = defineApi<JoinGroupRequest, JoinResult>({
  key: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,
  decode(r, version) {
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    // v0 has no rebalance timeout; Kafka uses the session timeout in its place.
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string();
    const groupInstanceId = version >= 5 ? r.nullableString() : null;
    const protocolType = r.string();
    const protocols = r.array((r) => ({ name: r.string(), metadata: r.bytes() ?? Buffer.alloc(0) }));
    return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols };
  },
  encode(w, version, res) {
    if (version >= 2) w.int32(0);
    w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leaderId).string(res.memberId);
    w.array(res.members, (w, m) => {
      w.string(m.memberId);
      if (version >= 5) w.nullableString(m.groupInstanceId);
      w.bytes(m.metadata);
    });
  },
  handle(broker, req, ctx) {
    return broker.groups.joinGroup(
      {
        ...req,
        clientId: ctx.clientId ?? '',
        // Kafka reports the peer address with its InetAddress.toString() slash.
        clientHost: `/${ctx.clientHost}`,
        requireKnownMemberId: ctx.apiVersion >= 4,
      },
      ctx.signal,
    );
  },
});
