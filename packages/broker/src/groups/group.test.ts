import { ErrorCode } from '../protocol/error-codes';
import { Group, type GroupSettings } from './group';
import type { GroupProtocol, JoinRequest, JoinResult, SyncResult } from './types';

const SESSION = 10_000;
const REBALANCE = 30_000;

function settings(initialRebalanceDelayMs = 0): GroupSettings {
  let n = 0;
  return { initialRebalanceDelayMs, newMemberId: (clientId) => `${clientId}-${++n}` };
}

const proto = (name: string, meta = name): GroupProtocol => ({ name, metadata: Buffer.from(meta) });

function joinReq(memberId: string, over: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId: 'g',
    memberId,
    groupInstanceId: null,
    sessionTimeoutMs: SESSION,
    rebalanceTimeoutMs: REBALANCE,
    protocolType: 'consumer',
    protocols: [proto('range')],
    clientId: 'c',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    ...over,
  };
}

/** A join whose answer may arrive later: `result` is undefined until it does. */
function join(g: Group, req: JoinRequest, now: number): { result: JoinResult | undefined } {
  const box: { result: JoinResult | undefined } = { result: undefined };
  g.join(req, now, (r) => (box.result = r));
  return box;
}

function sync(g: Group, memberId: string, generationId: number, now: number, assignments: Record<string, string> = {}): { result: SyncResult | undefined } {
  const box: { result: SyncResult | undefined } = { result: undefined };
  const list = Object.entries(assignments).map(([id, a]) => ({ memberId: id, assignment: Buffer.from(a) }));
  g.sync({ groupId: 'g', generationId, memberId, assignments: list }, now, (r) => (box.result = r));
  return box;
}

/** Brings a group to Stable with one member per client id, all at time 0. */
function stableGroup(clientIds: string[]): Group {
  const g = new Group('g', settings());
  const ids: string[] = [];
  // The first member completes alone; each later one needs everybody to rejoin.
  for (const clientId of clientIds) {
    const fresh = join(g, joinReq('', { clientId }), 0);
    const rejoins = ids.map((id) => join(g, joinReq(id), 0));
    for (const j of [fresh, ...rejoins]) expect(j.result?.errorCode).toBe(ErrorCode.NONE);
    ids.push(fresh.result!.memberId);
  }
  sync(g, g.leaderId!, g.generationId, 0, Object.fromEntries(ids.map((id) => [id, `assign-${id}`])));
  expect(g.state).toBe('Stable');
  return g;
}

describe('Group join and sync', () => {
  it('hands out a member id first on v4+ and completes a lone member at once', () => {
    const g = new Group('g', settings());
    const first = join(g, joinReq('', { requireKnownMemberId: true }), 0);
    expect(first.result).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, memberId: 'c-1', generationId: -1 });
    expect(g.size).toBe(0);
    const second = join(g, joinReq('c-1', { requireKnownMemberId: true }), 1);
    expect(second.result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leaderId: 'c-1', memberId: 'c-1', protocolName: 'range' });
    expect(second.result!.members).toEqual([{ memberId: 'c-1', groupInstanceId: null, metadata: Buffer.from('range') }]);
    expect(g.state).toBe('CompletingRebalance');
    const s = sync(g, 'c-1', 1, 2, { 'c-1': 'mine' });
    expect(s.result).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('mine') });
    expect(g.state).toBe('Stable');
  });

  it('holds a new member until the others rejoin, then gives only the leader the member list', () => {
    const g = new Group('g', settings());
    const a = join(g, joinReq(''), 0).result!;
    sync(g, a.memberId, 1, 0, { [a.memberId]: 'all' });
    const b = join(g, joinReq('', { clientId: 'b' }), 100);
    expect(b.result).toBeUndefined();
    expect(g.state).toBe('PreparingRebalance');
    expect(g.heartbeat(a.memberId, 1, 200)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const aAgain = join(g, joinReq(a.memberId), 300);
    expect(aAgain.result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leaderId: a.memberId });
    expect(aAgain.result!.members.map((m) => m.memberId)).toEqual([a.memberId, 'b-2']);
    expect(b.result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leaderId: a.memberId, members: [] });
    // The follower waits in SyncGroup for the leader.
    const bSync = sync(g, 'b-2', 2, 400);
    expect(bSync.result).toBeUndefined();
    const aSync = sync(g, a.memberId, 2, 500, { [a.memberId]: 'p0', 'b-2': 'p1' });
    expect(aSync.result!.assignment.toString()).toBe('p0');
    expect(bSync.result!.assignment.toString()).toBe('p1');
    expect(g.state).toBe('Stable');
    // A late sync in Stable gets the stored assignment at once.
    expect(sync(g, 'b-2', 2, 600).result!.assignment.toString()).toBe('p1');
  });

  it('drops members that do not rejoin within the rebalance timeout', () => {
    const g = stableGroup(['a', 'b']);
    const [a, b] = g.memberIds() as [string, string];
    const c = join(g, joinReq('', { clientId: 'c' }), 1000);
    join(g, joinReq(a), 1100);
    // b keeps heartbeating but never rejoins.
    for (let t = 2000; t < 1000 + REBALANCE; t += 3000) {
      expect(g.heartbeat(b, g.generationId, t)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      g.poll(t);
    }
    expect(c.result).toBeUndefined();
    expect(g.nextDeadline()).toBe(1000 + REBALANCE);
    g.poll(1000 + REBALANCE);
    expect(c.result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 3 });
    expect(g.memberIds()).toEqual([a, c.result!.memberId]);
    expect(g.heartbeat(b, 3, 1000 + REBALANCE)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('evicts a member whose session lapses and rebalances the rest', () => {
    const g = stableGroup(['a', 'b']);
    const [a, b] = g.memberIds() as [string, string];
    const gen = g.generationId;
    for (let t = 3000; t < SESSION; t += 3000) {
      expect(g.heartbeat(a, gen, t)).toBe(ErrorCode.NONE);
      g.poll(t);
    }
    expect(g.nextDeadline()).toBe(SESSION); // b's last sign of life was at 0
    g.poll(SESSION);
    expect(g.memberIds()).toEqual([a]);
    expect(g.state).toBe('PreparingRebalance');
    expect(g.heartbeat(a, gen, SESSION + 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(join(g, joinReq(a), SESSION + 2).result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: gen + 1, leaderId: a });
    expect(g.heartbeat(b, gen + 1, SESSION + 3)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('does not expire a member while it waits in a join', () => {
    const g = stableGroup(['a', 'b']);
    const [a] = g.memberIds() as [string, string];
    const held = join(g, joinReq(a), 1000);
    expect(held.result).toBeUndefined();
    // b never rejoins and stops heartbeating: its session lapses at SESSION, a's does not.
    g.poll(SESSION + 5000);
    expect(held.result).toMatchObject({ errorCode: ErrorCode.NONE, leaderId: a });
    expect(g.memberIds()).toEqual([a]);
  });

  it("starts a waiting follower's session when the leader's assignment arrives, not when it asked", () => {
    const g = new Group('g', settings());
    const a = join(g, joinReq(''), 0).result!;
    sync(g, a.memberId, 1, 0, {});
    const b = join(g, joinReq('', { clientId: 'b' }), 0);
    join(g, joinReq(a.memberId), 0);
    const bSync = sync(g, b.result!.memberId, 2, 0);
    // The leader takes longer than a session to compute the assignment, but keeps heartbeating.
    for (let t = 3000; t <= 15_000; t += 3000) {
      expect(g.heartbeat(a.memberId, 2, t)).toBe(ErrorCode.NONE);
      g.poll(t);
    }
    sync(g, a.memberId, 2, 15_000, {});
    expect(bSync.result!.errorCode).toBe(ErrorCode.NONE);
    g.poll(15_001);
    expect(g.memberIds()).toHaveLength(2);
    expect(g.nextDeadline()).toBe(15_000 + SESSION);
  });

  it('moves the leadership when the leader leaves', () => {
    const g = stableGroup(['a', 'b', 'c']);
    const [a, b, c] = g.memberIds() as [string, string, string];
    expect(g.leave(a, 100)).toBe(ErrorCode.NONE);
    expect(g.leaderId).toBe(b);
    const jb = join(g, joinReq(b), 200);
    const jc = join(g, joinReq(c), 300);
    expect(jb.result!.members.map((m) => m.memberId)).toEqual([b, c]);
    expect(jc.result!.leaderId).toBe(b);
    expect(g.leave('nobody', 400)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('becomes Empty with a new generation when the last member leaves', () => {
    const g = stableGroup(['a']);
    const gen = g.generationId;
    expect(g.leave(g.memberIds()[0]!, 10)).toBe(ErrorCode.NONE);
    expect(g.state).toBe('Empty');
    expect(g.generationId).toBe(gen + 1);
    expect(g.leaderId).toBeNull();
    expect(g.protocolType).toBe('consumer');
  });

  it('sends REBALANCE_IN_PROGRESS to followers waiting in sync when a new rebalance starts', () => {
    const g = new Group('g', settings());
    const a = join(g, joinReq(''), 0).result!;
    sync(g, a.memberId, 1, 0, {});
    const b = join(g, joinReq('', { clientId: 'b' }), 10);
    join(g, joinReq(a.memberId), 20);
    expect(g.state).toBe('CompletingRebalance');
    const bSync = sync(g, b.result!.memberId, 2, 30);
    expect(bSync.result).toBeUndefined();
    join(g, joinReq('', { clientId: 'c' }), 40);
    expect(bSync.result!.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(sync(g, b.result!.memberId, 2, 50).result!.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('answers sync errors like Kafka', () => {
    const g = stableGroup(['a']);
    const [a] = g.memberIds() as [string];
    expect(sync(g, 'ghost', g.generationId, 1).result!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(sync(g, a, g.generationId - 1, 1).result!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(g.heartbeat(a, g.generationId + 5, 1)).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('answers a resent join in CompletingRebalance without a new rebalance', () => {
    const g = new Group('g', settings());
    const first = join(g, joinReq(''), 0).result!;
    expect(g.state).toBe('CompletingRebalance');
    const again = join(g, joinReq(first.memberId), 10).result!;
    expect(again).toEqual(first);
    expect(g.state).toBe('CompletingRebalance');
  });

  it('rebalances when the leader rejoins in Stable, but not for a follower with unchanged metadata', () => {
    const g = stableGroup(['a', 'b']);
    const [a, b] = g.memberIds() as [string, string];
    const gen = g.generationId;
    expect(join(g, joinReq(b), 10).result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: gen, members: [] });
    expect(g.state).toBe('Stable');
    expect(join(g, joinReq(a), 20).result).toBeUndefined();
    expect(g.state).toBe('PreparingRebalance');
  });
});

describe('Group protocol choice', () => {
  it('votes for the protocol every member supports, by preference', () => {
    const g = new Group('g', settings());
    const a = join(g, joinReq('', { protocols: [proto('range'), proto('roundrobin')] }), 0).result!;
    sync(g, a.memberId, 1, 0);
    const b = join(g, joinReq('', { protocols: [proto('sticky'), proto('roundrobin')] }), 1);
    join(g, joinReq(a.memberId, { protocols: [proto('range'), proto('roundrobin')] }), 2);
    expect(b.result).toMatchObject({ errorCode: ErrorCode.NONE, protocolName: 'roundrobin' });
  });

  it('rejects a member that shares no protocol or uses another protocol type', () => {
    const g = stableGroup(['a']);
    expect(join(g, joinReq('', { protocols: [proto('other')] }), 1).result!.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(join(g, joinReq('', { protocolType: 'connect' }), 1).result!.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(join(g, joinReq('', { protocols: [] }), 1).result!.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(g.state).toBe('Stable');
  });
});

describe('Group initial rebalance delay', () => {
  it('waits for more members, extending while they keep arriving, up to the rebalance timeout', () => {
    const g = new Group('g', settings(3000));
    const a = join(g, joinReq(''), 0);
    const b = join(g, joinReq('', { clientId: 'b' }), 1000);
    expect(g.nextDeadline()).toBe(3000);
    g.poll(3000);
    expect(a.result).toBeUndefined(); // b arrived during the delay: wait another 3 s
    g.poll(6000);
    expect(a.result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
    expect(a.result!.members).toHaveLength(2);
    expect(b.result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
  });
});

describe('Group pending member ids', () => {
  it('forgets an id handed out with MEMBER_ID_REQUIRED once its session lapses', () => {
    const g = stableGroup(['a']);
    const [a] = g.memberIds() as [string];
    const required = join(g, joinReq('', { requireKnownMemberId: true, clientId: 'x' }), 0).result!;
    expect(required.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    // A rebalance now waits for the reserved id as well as for a.
    const b = join(g, joinReq('', { clientId: 'b' }), 10);
    const rejoin = join(g, joinReq(a), 20);
    expect(rejoin.result).toBeUndefined();
    for (let t = 3000; t <= SESSION; t += 3000) g.poll(t);
    g.poll(SESSION);
    expect(rejoin.result).toMatchObject({ errorCode: ErrorCode.NONE });
    expect(b.result).toMatchObject({ errorCode: ErrorCode.NONE });
    expect(join(g, joinReq(required.memberId), SESSION + 1).result!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('Group offset commit rules', () => {
  it('accepts generation -1 only while the group has no members', () => {
    const g = new Group('g', settings());
    expect(g.checkCommit('', -1, 0)).toBe(ErrorCode.NONE);
    const a = join(g, joinReq(''), 0).result!;
    expect(g.checkCommit('', -1, 0)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(g.checkCommit(a.memberId, 1, 0)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    sync(g, a.memberId, 1, 0, {});
    expect(g.checkCommit(a.memberId, 1, 0)).toBe(ErrorCode.NONE);
    expect(g.checkCommit(a.memberId, 0, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(g.checkCommit('ghost', 1, 0)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    // During PreparingRebalance the current generation may still commit what it processed.
    join(g, joinReq('', { clientId: 'b' }), 1);
    expect(g.checkCommit(a.memberId, 1, 2)).toBe(ErrorCode.NONE);
  });
});

describe('Group describe', () => {
  it('reports metadata and assignments only when Stable', () => {
    const g = stableGroup(['a']);
    const d = g.describe();
    expect(d).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocolName: 'range' });
    expect(d.members[0]).toMatchObject({ clientId: 'a', clientHost: '/127.0.0.1', metadata: Buffer.from('range') });
    expect(d.members[0]!.assignment.toString()).toMatch(/^assign-/);
    join(g, joinReq('', { clientId: 'b' }), 1);
    const during = g.describe();
    expect(during).toMatchObject({ state: 'PreparingRebalance', protocolName: '' });
    expect(during.members.every((m) => m.assignment.length === 0 && m.metadata.length === 0)).toBe(true);
  });
});
