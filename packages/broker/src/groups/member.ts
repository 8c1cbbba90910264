/**
 * One member of a classic group: what it joined with, its assignment, its session deadline and
 * the JoinGroup/SyncGroup answers it is waiting for.
 */
import type { GroupProtocol, JoinRequest, JoinResult, MemberDescription, SyncResult } from './types';

/** Delivers a held JoinGroup/SyncGroup answer. Calling it after the client went away is harmless. */
export type Reply<T> = (result: T) => void;

const EMPTY = Buffer.alloc(0);

/** A group member and the answers it waits for. */
export class Member {
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  assignment: Buffer = EMPTY;
  /** The session lapses at this time unless the member is waiting in a join or sync. */
  sessionDeadline: number;
  /**
   * Rejoined in the current rebalance. Stays true when the client disconnects while waiting,
   * as in Kafka: the coordinator cannot tell, so the member counts as rejoined and is dropped
   * later by its session timeout.
   */
  awaitingJoin = false;
  joinReply: Reply<JoinResult> | null = null;
  /** Sent SyncGroup and waits for the leader's assignment. */
  awaitingSync = false;
  syncReply: Reply<SyncResult> | null = null;

  constructor(
    readonly memberId: string,
    req: JoinRequest,
    now: number,
  ) {
    this.groupInstanceId = req.groupInstanceId;
    this.clientId = req.clientId;
    this.clientHost = req.clientHost;
    this.sessionTimeoutMs = req.sessionTimeoutMs;
    this.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    this.protocolType = req.protocolType;
    this.protocols = req.protocols;
    this.sessionDeadline = now + req.sessionTimeoutMs;
  }

  /** Takes the settings of a rejoin (clients may change timeouts and subscriptions). */
  update(req: JoinRequest): void {
    this.groupInstanceId = req.groupInstanceId;
    this.sessionTimeoutMs = req.sessionTimeoutMs;
    this.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    this.protocols = req.protocols;
  }

  /** Restarts the session clock (any heartbeat, join, sync or commit from the member). */
  touch(now: number): void {
    this.sessionDeadline = now + this.sessionTimeoutMs;
  }

  /** Whether the session is over: a member held in a join or sync is alive by definition. */
  expired(now: number): boolean {
    return !this.awaitingJoin && !this.awaitingSync && now >= this.sessionDeadline;
  }

  /** True when a rejoin carries exactly the protocols (names and metadata) the member has. */
  sameProtocols(protocols: readonly GroupProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata))
    );
  }

  /** The member's metadata for `protocol` (empty when it does not support it). */
  metadataFor(protocol: string | null): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY;
  }

  /** Answers a held JoinGroup, if any. */
  answerJoin(result: JoinResult): void {
    const reply = this.joinReply;
    this.joinReply = null;
    this.awaitingJoin = false;
    reply?.(result);
  }

  /** Answers a held SyncGroup, if any. */
  answerSync(result: SyncResult): void {
    const reply = this.syncReply;
    this.syncReply = null;
    this.awaitingSync = false;
    reply?.(result);
  }

  /** DescribeGroups view; metadata and assignment only once the group is Stable, like Kafka. */
  describe(protocol: string | null, withData: boolean): MemberDescription {
    return {
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
      clientId: this.clientId,
      clientHost: this.clientHost,
      metadata: withData ? this.metadataFor(protocol) : EMPTY,
      assignment: withData ? this.assignment : EMPTY,
    };
  }
}
