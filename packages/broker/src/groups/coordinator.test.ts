import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { getEventListeners } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BROKER_CONFIG, type BrokerConfig } from '../config';
import { silentLogger } from '../logger';
import { Flusher } from '../storage/flusher';
import { ErrorCode } from '../protocol/error-codes';
import { GroupCoordinator } from './coordinator';
import { GROUPS_LOG } from './group-log';
import type { JoinRequest } from './types';

let dataDir: string;
let open: GroupCoordinator[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'groups-test-'));
});
afterEach(() => {
  for (const c of open) c.close();
  open = [];
  jest.useRealTimers();
  rmSync(dataDir, { recursive: true, force: true });
});

function config(over: Partial<BrokerConfig> = {}): BrokerConfig {
  return { ...DEFAULT_BROKER_CONFIG, dataDir, logger: silentLogger, ...over };
}

function coordinator(over: Partial<BrokerConfig> = {}): GroupCoordinator {
  const c = GroupCoordinator.open(config(over), new Flusher('os'));
  open.push(c);
  return c;
}

function reopen(c: GroupCoordinator): GroupCoordinator {
  c.close();
  open = open.filter((x) => x !== c);
  return coordinator();
}

function joinReq(groupId: string, memberId = '', over: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId,
    memberId,
    groupInstanceId: null,
    sessionTimeoutMs: 6000,
    rebalanceTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('m') }],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: true,
    ...over,
  };
}

/** The v4+ two-step join: get an id, join with it. */
async function joinTwoStep(c: GroupCoordinator, groupId: string, signal?: AbortSignal) {
  const first = await c.joinGroup(joinReq(groupId));
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  expect(first.memberId).toMatch(/^client-[0-9a-f-]{36}$/);
  return c.joinGroup(joinReq(groupId, first.memberId), signal);
}

const offset = (topic: string, partition: number, value: number, metadata: string | null = null) => ({ topic, partition, offset: value, leaderEpoch: -1, metadata });

describe('GroupCoordinator offsets', () => {
  it('keeps the last commit per partition across a restart', () => {
    let c = coordinator();
    c.commitOffsets('g', [offset('t', 0, 5), offset('t', 1, 7, 'meta')]);
    c.commitOffsets('g', [offset('t', 0, 9)]);
    c = reopen(c);
    expect(c.fetchOffsets('g', [{ name: 't', partitions: [0, 1, 2] }])).toEqual([
      {
        name: 't',
        partitions: [
          { partition: 0, offset: 9, leaderEpoch: -1, metadata: '', errorCode: 0 },
          { partition: 1, offset: 7, leaderEpoch: -1, metadata: 'meta', errorCode: 0 },
          { partition: 2, offset: -1, leaderEpoch: -1, metadata: '', errorCode: 0 },
        ],
      },
    ]);
    expect(c.listGroups()).toEqual([{ groupId: 'g', protocolType: '', state: 'Empty' }]);
  });

  it('answers all committed offsets for a null topic list', () => {
    const c = coordinator();
    c.commitOffsets('g', [offset('a', 0, 1), offset('b', 3, 2)]);
    expect(c.fetchOffsets('g', null).map((t) => [t.name, t.partitions.map((p) => [p.partition, p.offset])])).toEqual([
      ['a', [[0, 1]]],
      ['b', [[3, 2]]],
    ]);
    expect(c.fetchOffsets('unknown', null)).toEqual([]);
  });

  it('forgets deleted groups and topics durably', () => {
    let c = coordinator();
    c.commitOffsets('g1', [offset('t', 0, 1), offset('u', 0, 1)]);
    c.commitOffsets('g2', [offset('t', 0, 2)]);
    expect(c.deleteGroup('g1')).toBe(ErrorCode.NONE);
    c.removeTopic('t');
    c = reopen(c);
    expect(c.fetchOffsets('g1', null)).toEqual([]);
    expect(c.fetchOffsets('g2', null)).toEqual([]);
    expect(c.deleteGroup('g1')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    // g2 lost its last offsets while Empty: Kafka's cleanup removes such a group.
    expect(c.listGroups()).toEqual([]);
  });

  it('forgets an Empty group without offsets after the cleanup interval, but not one with offsets', async () => {
    jest.useFakeTimers();
    const c = coordinator();
    const a = await joinTwoStep(c, 'idle');
    c.leaveGroup('idle', [{ memberId: a.memberId, groupInstanceId: null }]);
    c.commitOffsets('kept', [offset('t', 0, 1)]);
    c.tick(Date.now() + 599_000);
    expect(c.describeGroup('idle').state).toBe('Empty');
    c.tick(Date.now() + 600_000);
    expect(c.describeGroup('idle').state).toBe('Dead');
    expect(c.describeGroup('kept').state).toBe('Empty');
  });

  it('compacts groups.log on open', () => {
    let c = coordinator();
    for (let i = 0; i < 500; i++) c.commitOffsets('g', [offset('t', i % 3, i)]);
    const path = join(dataDir, GROUPS_LOG);
    const before = statSync(path).size;
    c = reopen(c);
    expect(statSync(path).size).toBeLessThan(before / 50);
    expect(c.fetchOffsets('g', null)[0]!.partitions.map((p) => p.offset)).toEqual([498, 499, 497]);
  });

  it('survives a torn tail, losing only the torn entry', () => {
    let c = coordinator();
    c.commitOffsets('g', [offset('t', 0, 1)]);
    c.close();
    open = [];
    appendFileSync(join(dataDir, GROUPS_LOG), Buffer.from([0, 0, 0, 40, 1, 2, 3]));
    c = coordinator();
    expect(c.fetchOffsets('g', null)[0]!.partitions[0]!.offset).toBe(1);
    c.commitOffsets('g', [offset('t', 0, 2)]);
    c = reopen(c);
    expect(c.fetchOffsets('g', null)[0]!.partitions[0]!.offset).toBe(2);
  });

  it('checks commits against membership', async () => {
    const c = coordinator();
    expect(c.checkCommit('nogroup', '', -1)).toBe(ErrorCode.NONE);
    expect(c.checkCommit('nogroup', 'm', 3)).toBe(ErrorCode.ILLEGAL_GENERATION);
    const joined = await joinTwoStep(c, 'g');
    expect(c.checkCommit('g', '', -1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(c.checkCommit('g', joined.memberId, joined.generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await c.syncGroup({ groupId: 'g', generationId: joined.generationId, memberId: joined.memberId, assignments: [] });
    expect(c.checkCommit('g', joined.memberId, joined.generationId)).toBe(ErrorCode.NONE);
  });
});

describe('GroupCoordinator membership', () => {
  it('validates group id, session timeout and member id', async () => {
    const c = coordinator();
    expect((await c.joinGroup(joinReq(''))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await c.joinGroup(joinReq('g', '', { sessionTimeoutMs: 10 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await c.joinGroup(joinReq('g', '', { sessionTimeoutMs: 3_600_000 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await c.joinGroup(joinReq('nope', 'someone'))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await c.syncGroup({ groupId: 'nope', generationId: 1, memberId: 'x', assignments: [] })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(c.heartbeat('nope', 'x', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(c.leaveGroup('nope', [{ memberId: 'x', groupInstanceId: null }])).toEqual({
      errorCode: ErrorCode.NONE,
      members: [{ memberId: 'x', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID }],
    });
  });

  it('evicts a member on its own timer once its session lapses', async () => {
    jest.useFakeTimers();
    const c = coordinator();
    const joined = await joinTwoStep(c, 'g');
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: joined.memberId, assignments: [] });
    jest.advanceTimersByTime(5000);
    expect(c.heartbeat('g', joined.memberId, 1)).toBe(ErrorCode.NONE);
    jest.advanceTimersByTime(5999);
    expect(c.describeGroup('g').state).toBe('Stable');
    jest.advanceTimersByTime(1);
    expect(c.describeGroup('g')).toMatchObject({ state: 'Empty', members: [] });
    expect(c.heartbeat('g', joined.memberId, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('lets a disconnected joiner go without losing Kafka semantics', async () => {
    jest.useFakeTimers();
    const c = coordinator();
    const a = await joinTwoStep(c, 'g');
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });
    const conn = new AbortController();
    const idB = (await c.joinGroup(joinReq('g'))).memberId;
    const held = c.joinGroup(joinReq('g', idB), conn.signal);
    expect(getEventListeners(conn.signal, 'abort')).toHaveLength(1);
    conn.abort();
    expect((await held).errorCode).not.toBe(ErrorCode.NONE);
    expect(getEventListeners(conn.signal, 'abort')).toHaveLength(0);
    // B still counts as rejoined: A's rejoin completes generation 2 with both members.
    const a2 = await c.joinGroup(joinReq('g', a.memberId));
    expect(a2).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(a2.members.map((m) => m.memberId)).toEqual([a.memberId, idB]);
    // B never syncs or heartbeats: its session drops it and A is told to rejoin.
    jest.advanceTimersByTime(3000);
    expect(c.heartbeat('g', a.memberId, 2)).toBe(ErrorCode.NONE);
    jest.advanceTimersByTime(3000);
    expect(c.describeGroup('g').members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(c.heartbeat('g', a.memberId, 2)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect((await c.syncGroup({ groupId: 'g', generationId: 2, memberId: a.memberId, assignments: [] })).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('drops members that do not rejoin when the rebalance timeout fires', async () => {
    jest.useFakeTimers();
    const c = coordinator();
    const a = await joinTwoStep(c, 'g');
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });
    const idB = (await c.joinGroup(joinReq('g'))).memberId;
    let b: { generationId: number; members: unknown[] } | undefined;
    void c.joinGroup(joinReq('g', idB)).then((r) => (b = r));
    // A keeps its session alive but ignores REBALANCE_IN_PROGRESS.
    for (let t = 0; t < 10_000; t += 2000) {
      expect(c.heartbeat('g', a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      jest.advanceTimersByTime(2000);
    }
    await Promise.resolve();
    expect(b).toMatchObject({ generationId: 2, members: [{ memberId: idB }] });
    expect(c.heartbeat('g', a.memberId, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('deletes only empty groups', async () => {
    const c = coordinator();
    const a = await joinTwoStep(c, 'g');
    c.commitOffsets('g', [offset('t', 0, 3)]);
    expect(c.deleteGroup('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect(c.deleteGroup('missing')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(c.leaveGroup('g', [{ memberId: a.memberId, groupInstanceId: null }]).members[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(c.describeGroup('g').state).toBe('Empty');
    expect(c.deleteGroup('g')).toBe(ErrorCode.NONE);
    expect(c.describeGroup('g').state).toBe('Dead');
    expect(c.fetchOffsets('g', null)).toEqual([]);
  });

  it('remembers the protocol type of a group across a restart', async () => {
    let c = coordinator();
    await joinTwoStep(c, 'g');
    c = reopen(c);
    expect(c.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer', state: 'Empty' }]);
  });

  it('answers held joins when it closes', async () => {
    const c = coordinator();
    const a = await joinTwoStep(c, 'g');
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });
    const idB = (await c.joinGroup(joinReq('g'))).memberId;
    const held = c.joinGroup(joinReq('g', idB));
    c.close();
    open = [];
    expect((await held).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});
