/**
 * One consumer group under Kafka's classic protocol (GroupCoordinator.scala / kfake groups.go):
 *
 *   Empty ──join──▶ PreparingRebalance ──all rejoined or timeout──▶ CompletingRebalance
 *     ▲                   ▲        (generation+1, leader gets members)   │ leader's SyncGroup
 *     └── last member ────┴──── join / leave / session lapse ◀── Stable ◀┘
 *
 * The machine is pure apart from the clock: every method takes `now`, timers are the caller's
 * job (`nextDeadline()` says when, `poll(now)` does what is due), so tests drive it with plain
 * numbers. JoinGroup/SyncGroup answers that must wait are delivered through `Reply` callbacks.
 */
import { ErrorCode } from '../protocol/error-codes';
import { Member, type Reply } from './member';
import { commonProtocols, selectProtocol } from './select-protocol';
import type { GroupDescription, GroupStateName, JoinedMember, JoinRequest, JoinResult, SyncRequest, SyncResult } from './types';

/** What a group needs from its coordinator. */
export interface GroupSettings {
  /** group.initial.rebalance.delay.ms: an Empty group waits this long for more members. */
  initialRebalanceDelayMs: number;
  /** A fresh member id for a client (Kafka: `${clientId}-${uuid}`). */
  newMemberId(clientId: string): string;
}

const EMPTY = Buffer.alloc(0);

/** A JoinGroup answer that carries only an error (and the member id the client should use). */
export function joinError(errorCode: number, memberId: string): JoinResult {
  return { errorCode, generationId: -1, protocolName: '', leaderId: '', memberId, members: [] };
}

/** One group's membership state machine. */
export class Group {
  state: GroupStateName = 'Empty';
  generationId = 0;
  protocolName: string | null = null;
  leaderId: string | null = null;
  private readonly members = new Map<string, Member>();
  /** Ids handed out with MEMBER_ID_REQUIRED, until the client rejoins with them (or its session lapses). */
  private readonly pending = new Map<string, number>();
  /** While PreparingRebalance: when members that have not rejoined are dropped. */
  private rebalanceDeadline: number | null = null;
  /** While an Empty group's first rebalance waits for more members (InitialDelayedJoin). */
  private initialDelay: { until: number; max: number; newMember: boolean } | null = null;

  constructor(
    readonly groupId: string,
    private readonly settings: GroupSettings,
    public protocolType: string | null = null,
  ) {}

  /** Number of members (not counting ids handed out but not yet used). */
  get size(): number {
    return this.members.size;
  }

  /** Member ids in join order. */
  memberIds(): string[] {
    return [...this.members.keys()];
  }

  /** Handles JoinGroup; `reply` is called now or once the rebalance completes. */
  join(req: JoinRequest, now: number, reply: Reply<JoinResult>): void {
    if (this.state === 'Dead') return reply(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, req.memberId));
    if (!this.supports(req)) return reply(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    if (req.memberId === '') {
      const memberId = this.settings.newMemberId(req.clientId);
      if (req.requireKnownMemberId) {
        // KIP-394: the id is only reserved; the member joins for real when it comes back with it.
        this.pending.set(memberId, now + req.sessionTimeoutMs);
        return reply(joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId));
      }
      return this.addMember(memberId, req, now, reply);
    }
    if (this.pending.delete(req.memberId)) return this.addMember(req.memberId, req, now, reply);
    const member = this.members.get(req.memberId);
    if (!member) return reply(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    switch (this.state) {
      case 'PreparingRebalance':
        return this.rejoin(member, req, now, reply);
      case 'CompletingRebalance':
        // A resend of the join whose answer the client lost: answer it again, no new rebalance.
        if (member.sameProtocols(req.protocols)) return this.answerCurrent(member, now, reply);
        return this.rejoin(member, req, now, reply);
      case 'Stable':
        // The leader rejoining means it wants a new assignment (e.g. its metadata changed).
        if (member.memberId !== this.leaderId && member.sameProtocols(req.protocols)) return this.answerCurrent(member, now, reply);
        return this.rejoin(member, req, now, reply);
      default:
        return reply(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    }
  }

  /** Handles SyncGroup; followers wait for the leader's assignment. */
  sync(req: SyncRequest, now: number, reply: Reply<SyncResult>): void {
    const fail = (errorCode: number) => reply({ errorCode, assignment: EMPTY });
    if (this.state === 'Dead') return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const member = this.members.get(req.memberId);
    if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (req.generationId !== this.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
    member.touch(now);
    switch (this.state) {
      case 'PreparingRebalance':
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
        return reply({ errorCode: ErrorCode.NONE, assignment: member.assignment });
      case 'CompletingRebalance':
        break;
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
    member.answerSync({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
    member.awaitingSync = true;
    member.syncReply = reply;
    if (member.memberId !== this.leaderId) return;
    const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
    this.state = 'Stable';
    for (const m of this.members.values()) {
      m.assignment = given.get(m.memberId) ?? EMPTY;
      if (!m.awaitingSync) continue;
      // Its session clock starts now: waiting for a slow leader is not the member's fault.
      m.touch(now);
      m.answerSync({ errorCode: ErrorCode.NONE, assignment: m.assignment });
    }
  }

  /** Handles Heartbeat: keeps the session alive and tells members when to rejoin. */
  heartbeat(memberId: string, generationId: number, now: number): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    member.touch(now);
    return this.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** Handles one member of a LeaveGroup. */
  leave(memberId: string, now: number): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (this.pending.delete(memberId)) {
      this.tryCompleteJoin(now);
      return ErrorCode.NONE;
    }
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeAndRebalance(member, now);
    return ErrorCode.NONE;
  }

  /**
   * Whether an OffsetCommit from (memberId, generationId) may store offsets. Generation -1 with
   * no member is a commit from outside group management (admin tools, simple consumers): only
   * allowed while nobody is a member.
   */
  checkCommit(memberId: string, generationId: number, now: number): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (generationId < 0 && memberId === '') return this.state === 'Empty' ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    // The member has its join answer but not yet its assignment: it must not commit for partitions it may lose.
    if (this.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    member.touch(now);
    return ErrorCode.NONE;
  }

  /** Does whatever is due at `now`: lapsed sessions, the end of the initial delay or of the rebalance timeout. */
  poll(now: number): void {
    for (const [id, deadline] of this.pending) if (now >= deadline) this.pending.delete(id);
    for (const m of [...this.members.values()]) if (m.expired(now) && this.members.has(m.memberId)) this.removeAndRebalance(m, now);
    if (this.initialDelay && now >= this.initialDelay.until) {
      const d = this.initialDelay;
      if (d.newMember && d.until < d.max) {
        // Members are still arriving: wait one more delay, but never past the rebalance timeout.
        d.until = Math.min(d.until + this.settings.initialRebalanceDelayMs, d.max);
        d.newMember = false;
      } else {
        this.completeJoin(now);
      }
    }
    if (this.state === 'PreparingRebalance' && !this.initialDelay && this.rebalanceDeadline !== null && now >= this.rebalanceDeadline) this.completeJoin(now);
    this.tryCompleteJoin(now);
  }

  /** The next time `poll` has something to do, or null. */
  nextDeadline(): number | null {
    let next = Infinity;
    for (const deadline of this.pending.values()) next = Math.min(next, deadline);
    for (const m of this.members.values()) if (!m.awaitingJoin && !m.awaitingSync) next = Math.min(next, m.sessionDeadline);
    if (this.initialDelay) next = Math.min(next, this.initialDelay.until);
    else if (this.state === 'PreparingRebalance' && this.rebalanceDeadline !== null) next = Math.min(next, this.rebalanceDeadline);
    return next === Infinity ? null : next;
  }

  /** DescribeGroups view of the group. */
  describe(): GroupDescription {
    const stable = this.state === 'Stable';
    return {
      errorCode: ErrorCode.NONE,
      groupId: this.groupId,
      state: this.state,
      protocolType: this.protocolType ?? '',
      protocolName: stable ? (this.protocolName ?? '') : '',
      members: [...this.members.values()].map((m) => m.describe(this.protocolName, stable)),
    };
  }

  /** Marks the group deleted (or the coordinator closing) and answers every held request. */
  kill(): void {
    this.state = 'Dead';
    for (const m of this.members.values()) {
      m.answerJoin(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, m.memberId));
      m.answerSync({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, assignment: EMPTY });
    }
    this.members.clear();
    this.pending.clear();
    this.initialDelay = null;
    this.rebalanceDeadline = null;
  }

  private supports(req: JoinRequest): boolean {
    if (req.protocolType === '' || req.protocols.length === 0) return false;
    const others = [...this.members.values()].filter((m) => m.memberId !== req.memberId);
    if (others.length === 0) return true;
    return req.protocolType === this.protocolType && commonProtocols([req, ...others]).length > 0;
  }

  private addMember(memberId: string, req: JoinRequest, now: number, reply: Reply<JoinResult>): void {
    const member = new Member(memberId, req, now);
    if (this.members.size === 0) this.protocolType = req.protocolType;
    this.leaderId ??= memberId;
    this.members.set(memberId, member);
    member.awaitingJoin = true;
    member.joinReply = reply;
    if (this.initialDelay) this.initialDelay.newMember = true;
    this.prepareRebalance(now);
    this.tryCompleteJoin(now);
  }

  private rejoin(member: Member, req: JoinRequest, now: number, reply: Reply<JoinResult>): void {
    // A second join from the same member replaces the first (its connection is probably gone).
    member.answerJoin(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
    member.update(req);
    member.awaitingJoin = true;
    member.joinReply = reply;
    this.prepareRebalance(now);
    this.tryCompleteJoin(now);
  }

  private answerCurrent(member: Member, now: number, reply: Reply<JoinResult>): void {
    member.touch(now);
    reply(this.joinResult(member));
  }

  private joinResult(member: Member): JoinResult {
    const isLeader = member.memberId === this.leaderId;
    const members: JoinedMember[] = isLeader
      ? [...this.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadataFor(this.protocolName) }))
      : [];
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generationId,
      protocolName: this.protocolName ?? '',
      leaderId: this.leaderId ?? '',
      memberId: member.memberId,
      members,
    };
  }

  /** Starts a rebalance unless one is already under way. */
  private prepareRebalance(now: number): void {
    if (this.state === 'PreparingRebalance' || this.state === 'Dead') return;
    if (this.state === 'CompletingRebalance') {
      // The assignment being distributed is obsolete: followers waiting in SyncGroup must rejoin.
      for (const m of this.members.values()) {
        m.assignment = EMPTY;
        m.answerSync({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      }
    }
    const timeout = Math.max(0, ...[...this.members.values()].map((m) => m.rebalanceTimeoutMs));
    const delay = this.settings.initialRebalanceDelayMs;
    if (this.state === 'Empty' && delay > 0) this.initialDelay = { until: now + Math.min(delay, timeout), max: now + timeout, newMember: false };
    this.rebalanceDeadline = now + timeout;
    this.state = 'PreparingRebalance';
  }

  private tryCompleteJoin(now: number): void {
    if (this.state !== 'PreparingRebalance' || this.initialDelay || this.pending.size > 0) return;
    for (const m of this.members.values()) if (!m.awaitingJoin) return;
    this.completeJoin(now);
  }

  /** Ends the join phase: drops members that did not rejoin, starts the next generation and answers every join. */
  private completeJoin(now: number): void {
    for (const m of [...this.members.values()]) if (!m.awaitingJoin) this.remove(m);
    this.initialDelay = null;
    this.rebalanceDeadline = null;
    this.generationId++;
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.protocolName = null;
      this.leaderId = null;
      return;
    }
    this.protocolName = selectProtocol([...this.members.values()]);
    this.state = 'CompletingRebalance';
    for (const m of this.members.values()) {
      m.touch(now);
      m.answerJoin(this.joinResult(m));
    }
  }

  private removeAndRebalance(member: Member, now: number): void {
    this.remove(member);
    if (this.state === 'Stable' || this.state === 'CompletingRebalance') this.prepareRebalance(now);
    this.tryCompleteJoin(now);
  }

  private remove(member: Member): void {
    this.members.delete(member.memberId);
    member.answerJoin(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    member.answerSync({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    if (this.leaderId === member.memberId) this.leaderId = this.members.keys().next().value ?? null;
  }
}
