/**
 * Shapes shared by the group state machine, the coordinator and the group API handlers.
 * They mirror the fields of Kafka's classic group protocol, not any one wire version.
 */

/** One committed offset of a group. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

/** Kafka's classic group states, spelled as DescribeGroups/ListGroups report them. */
export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** One protocol a member supports (for consumers: an assignor name and its subscription). */
export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

/** A JoinGroup request after decoding, plus what the connection knows about the client. */
export interface JoinRequest {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  clientId: string;
  clientHost: string;
  /** JoinGroup v4+: an unknown member is first handed its id (MEMBER_ID_REQUIRED) and must rejoin with it. */
  requireKnownMemberId: boolean;
}

/** A member as the leader sees it in its JoinGroup response. */
export interface JoinedMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

/** The JoinGroup answer for one member. */
export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leaderId: string;
  memberId: string;
  /** Filled for the leader only: it computes the assignment. */
  members: JoinedMember[];
}

/** A SyncGroup request after decoding. */
export interface SyncRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** Sent by the leader only. */
  assignments: { memberId: string; assignment: Buffer }[];
}

/** The SyncGroup answer for one member. */
export interface SyncResult {
  errorCode: number;
  assignment: Buffer;
}

/** One member as DescribeGroups reports it. */
export interface MemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  metadata: Buffer;
  assignment: Buffer;
}

/** One group as DescribeGroups reports it. */
export interface GroupDescription {
  errorCode: number;
  groupId: string;
  state: GroupStateName;
  protocolType: string;
  protocolName: string;
  members: MemberDescription[];
}

/** A member leaving, and the answer for it (LeaveGroup v3 batches them). */
export interface LeaveResult {
  memberId: string;
  groupInstanceId: string | null;
  errorCode: number;
}
