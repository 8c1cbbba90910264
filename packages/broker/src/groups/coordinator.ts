/**
 * The group coordinator of this node: every consumer group lives here (FindCoordinator always
 * answers this node). It owns the groups' state machines (`Group`), their timers, and the durable
 * offsets in `groups.log` (`GroupLog`). Handlers call it synchronously; JoinGroup and SyncGroup
 * return promises that resolve when the group is ready to answer, so a waiting member never
 * blocks the event loop.
 */
import { randomUUID } from 'node:crypto';
import type { BrokerConfig } from '../config';
import type { Flusher } from '../storage/flusher';
import type { BrokerLogger } from '../logger';
import { ErrorCode } from '../protocol/error-codes';
import { Group, joinError, type GroupSettings } from './group';
import { GroupLog } from './group-log';
import type { Reply } from './member';
import type { CommittedOffset, GroupDescription, GroupStateName, JoinRequest, JoinResult, LeaveResult, SyncRequest, SyncResult } from './types';

/** Re-exported here because the transaction coordinator imports it from this module. */
export type { CommittedOffset } from './types';

/** The offset OffsetFetch reports for one partition. */
export interface FetchedOffset {
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
  errorCode: number;
}

/** One group as ListGroups reports it. */
export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: GroupStateName;
}

const EMPTY = Buffer.alloc(0);

/**
 * An Empty group without offsets is forgotten after this long, as Kafka's offsets cleanup
 * (offsets.retention.check.interval.ms, 10 min) does; until then DescribeGroups still shows it.
 */
const ABANDONED_GROUP_MS = 600_000;

/** Consumer groups: membership, rebalances, committed offsets. */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly timers = new Map<string, { at: number; handle: NodeJS.Timeout }>();
  /** Last state/generation logged per group, to log transitions once. */
  private readonly seen = new Map<string, string>();
  /** When each Empty group became Empty. */
  private readonly emptySince = new Map<string, number>();
  private readonly log: GroupLog;
  private readonly logger: BrokerLogger;
  private readonly settings: GroupSettings;
  private closed = false;

  /** Opens and replays `groups.log` in `config.dataDir` (see `open`). */
  constructor(
    readonly config: BrokerConfig,
    readonly flusher: Flusher,
    logger?: BrokerLogger,
  ) {
    this.logger = logger ?? config.logger;
    this.settings = {
      initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
      newMemberId: (clientId) => `${clientId}-${randomUUID()}`,
    };
    this.log = GroupLog.open(config.dataDir, flusher, this.logger);
    for (const id of this.log.groups()) this.changed(this.create(id, this.log.protocolType(id)));
  }

  /** Opens the coordinator over `config.dataDir`: replays and compacts groups.log. */
  static open(config: BrokerConfig, flusher: Flusher, logger?: BrokerLogger): GroupCoordinator {
    return new GroupCoordinator(config, flusher, logger);
  }

  /** JoinGroup: resolves when the member may proceed (at once, or when the rebalance completes). */
  joinGroup(req: JoinRequest, signal?: AbortSignal): Promise<JoinResult> {
    if (req.groupId === '') return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID, req.memberId));
    const { groupMinSessionTimeoutMs: min, groupMaxSessionTimeoutMs: max } = this.config;
    if (req.sessionTimeoutMs < min || req.sessionTimeoutMs > max) return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.memberId !== '') return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
      group = this.create(req.groupId);
    }
    const g = group;
    return this.hold<JoinResult>(g, signal, joinError(ErrorCode.UNKNOWN_SERVER_ERROR, req.memberId), (reply) => g.join(req, Date.now(), reply));
  }

  /** SyncGroup: resolves with the member's assignment once the leader has sent it. */
  syncGroup(req: SyncRequest, signal?: AbortSignal): Promise<SyncResult> {
    const group = this.groups.get(req.groupId);
    if (!group) return Promise.resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    return this.hold<SyncResult>(group, signal, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, assignment: EMPTY }, (reply) => group.sync(req, Date.now(), reply));
  }

  /** Heartbeat: an error code (REBALANCE_IN_PROGRESS tells the member to rejoin). */
  heartbeat(groupId: string, memberId: string, generationId: number): number {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const errorCode = group.heartbeat(memberId, generationId, Date.now());
    this.changed(group);
    return errorCode;
  }

  /** LeaveGroup for a batch of members: a group-level error and one per member. */
  leaveGroup(groupId: string, members: readonly { memberId: string; groupInstanceId: string | null }[]): { errorCode: number; members: LeaveResult[] } {
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, members: members.map((m) => ({ ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) };
    if (group.state === 'Dead') return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const now = Date.now();
    const results = members.map((m) => ({ ...m, errorCode: group.leave(m.memberId, now) }));
    this.changed(group);
    return { errorCode: ErrorCode.NONE, members: results };
  }

  /** Whether an OffsetCommit from this member/generation may store offsets (NONE) or why not. */
  checkCommit(groupId: string, memberId: string, generationId: number): number {
    const group = this.groups.get(groupId);
    if (!group) {
      // No group: only a commit from outside group management (generation -1) can be right.
      if (generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      return memberId === '' ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    }
    const errorCode = group.checkCommit(memberId, generationId, Date.now());
    this.changed(group);
    return errorCode;
  }

  /**
   * Stores offsets (an allowed OffsetCommit, or a committed transaction's TxnOffsetCommit),
   * creating the group if needed. Durable once `flusher.flushed()` resolves.
   */
  commitOffsets(groupId: string, offsets: readonly CommittedOffset[]): void {
    if (!this.groups.has(groupId)) this.create(groupId);
    this.log.commit(groupId, offsets);
  }

  /** OffsetFetch: the requested partitions (null: every partition with a commit), -1 where none. */
  fetchOffsets(groupId: string, topics: readonly { name: string; partitions: readonly number[] }[] | null): { name: string; partitions: FetchedOffset[] }[] {
    const found = (o: CommittedOffset | undefined, partition: number): FetchedOffset => ({
      partition,
      offset: o?.offset ?? -1,
      leaderEpoch: o?.leaderEpoch ?? -1,
      // Kafka answers "" for both "no commit" and "committed without metadata".
      metadata: o?.metadata ?? '',
      errorCode: ErrorCode.NONE,
    });
    if (topics === null) {
      return [...this.log.all(groupId)].map(([name, partitions]) => ({
        name,
        partitions: [...partitions.values()].map((o) => found(o, o.partition)),
      }));
    }
    return topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => found(this.log.get(groupId, t.name, p), p)) }));
  }

  /** DescribeGroups for one group; an unknown group is reported as Dead, as Kafka does. */
  describeGroup(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (group) return group.describe();
    return { errorCode: ErrorCode.NONE, groupId, state: 'Dead', protocolType: '', protocolName: '', members: [] };
  }

  /** ListGroups: every live group. */
  listGroups(): ListedGroup[] {
    return [...this.groups.values()].map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.state }));
  }

  /** DeleteGroups for one group: only an Empty group can go; its offsets go with it (flush before answering). */
  deleteGroup(groupId: string): number {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(groupId);
    if (!group || group.state === 'Dead') return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group.state !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
    this.drop(group);
    return ErrorCode.NONE;
  }

  /** Drops offsets of a deleted topic (durable with the next flush), and groups left with nothing. */
  removeTopic(topic: string): void {
    this.log.deleteTopic(topic);
    // Kafka's cleanup after a partition deletion: an Empty group without offsets is gone.
    for (const group of [...this.groups.values()]) if (group.state === 'Empty' && !this.log.hasOffsets(group.groupId)) this.drop(group);
  }

  /**
   * Housekeeping: forgets Empty groups that have had no offsets for a while, and polls every
   * group as a backstop (groups keep their own timers; this only catches up if one ran late).
   */
  tick(now: number): void {
    if (this.closed) return;
    for (const group of [...this.groups.values()]) {
      group.poll(now);
      this.changed(group);
      const since = this.emptySince.get(group.groupId);
      if (since !== undefined && now - since >= ABANDONED_GROUP_MS && !this.log.hasOffsets(group.groupId)) this.drop(group);
    }
  }

  /** Stops timers, answers every held join/sync and closes groups.log. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
    for (const group of this.groups.values()) group.kill();
    this.log.close();
  }

  private create(groupId: string, protocolType: string | null = null): Group {
    const group = new Group(groupId, this.settings, protocolType);
    this.groups.set(groupId, group);
    return group;
  }

  /** Removes a group and its offsets for good. */
  private drop(group: Group): void {
    const id = group.groupId;
    group.kill();
    this.groups.delete(id);
    this.seen.delete(id);
    this.emptySince.delete(id);
    this.clearTimer(id);
    this.log.deleteGroup(id);
    this.logger.info('group deleted', { group: id });
  }

  /**
   * Runs a group operation whose answer may come later. If the client disconnects meanwhile the
   * promise settles at once (its answer could not be sent anyway) and the abort listener is
   * removed, but the group is left as it is: the member stays until the rebalance or its
   * session timeout drops it, exactly as Kafka, which cannot tell either.
   */
  private hold<T>(group: Group, signal: AbortSignal | undefined, onAbort: T, start: (reply: Reply<T>) => void): Promise<T> {
    return new Promise<T>((resolve) => {
      let done = false;
      const abort = () => finish(onAbort);
      const finish = (result: T) => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', abort);
        resolve(result);
      };
      signal?.addEventListener('abort', abort, { once: true });
      try {
        start(finish);
      } finally {
        this.changed(group);
      }
      if (signal?.aborted) abort();
    });
  }

  /** After any change: persist a new protocol type, log transitions, re-arm the group's timer. */
  private changed(group: Group): void {
    if (this.closed) return;
    if (group.protocolType !== null && group.size > 0) this.log.setProtocolType(group.groupId, group.protocolType);
    const key = `${group.state}/${group.generationId}`;
    if (this.seen.get(group.groupId) !== key) {
      this.seen.set(group.groupId, key);
      if (group.state !== 'Empty') this.emptySince.delete(group.groupId);
      else if (!this.emptySince.has(group.groupId)) this.emptySince.set(group.groupId, Date.now());
      // A group replayed from groups.log (Empty, generation 0) is not news.
      if (group.generationId > 0) this.logger.info('group state', { group: group.groupId, state: group.state, generation: group.generationId, members: group.size });
    }
    this.schedule(group);
  }

  private schedule(group: Group): void {
    const id = group.groupId;
    const at = group.nextDeadline();
    const current = this.timers.get(id);
    if (current && current.at === at) return;
    this.clearTimer(id);
    if (at === null) return;
    const handle = setTimeout(
      () => {
        this.timers.delete(id);
        if (this.groups.get(id) !== group) return;
        group.poll(Date.now());
        this.changed(group);
      },
      Math.max(0, at - Date.now()),
    );
    handle.unref();
    this.timers.set(id, { at, handle });
  }

  private clearTimer(groupId: string): void {
    const t = this.timers.get(groupId);
    if (t) clearTimeout(t.handle);
    this.timers.delete(groupId);
  }
}
