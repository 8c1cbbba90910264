/**
 * Golden byte fixtures for the group APIs: hand-built request bodies (what kafkajs and
 * librdkafka put after the request header) are decoded, and response bodies are compared byte
 * for byte with the layouts in Kafka's message specs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { NO_RESPONSE, type ApiDefinition, type RequestContext } from '../protocol/api';
import type { BrokerState } from '../broker-state';
import { DEFAULT_BROKER_CONFIG } from '../config';
import { silentLogger } from '../logger';
import { Flusher } from '../storage/flusher';
import { ErrorCode } from '../protocol/error-codes';
import { GroupCoordinator } from './coordinator';
import { joinGroupApi } from '../apis/join-group';
import { syncGroupApi } from '../apis/sync-group';
import { heartbeatApi } from '../apis/heartbeat';
import { leaveGroupApi } from '../apis/leave-group';
import { offsetCommitApi } from '../apis/offset-commit';
import { offsetFetchApi } from '../apis/offset-fetch';
import { describeGroupsApi } from '../apis/describe-groups';
import { listGroupsApi } from '../apis/list-groups';
import { deleteGroupsApi } from '../apis/delete-groups';
import { groupApis } from '../apis/group-apis';

/** Hex with spaces and `|` separators for readability. */
const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
const toHex = (b: Buffer): string => b.toString('hex');

function decode<Req>(api: ApiDefinition<Req, unknown>, version: number, body: string): Req {
  const r = new Reader(hex(body));
  const req = api.decode(r, version);
  expect(r.remaining()).toBe(0);
  return req;
}

function encode<Res>(api: ApiDefinition<unknown, Res>, version: number, res: Res): string {
  const w = new Writer();
  api.encode(w, version, res);
  return toHex(w.finish());
}

// Strings: int16 length + UTF-8. "g1" = 0002 6731, "m1" = 0002 6d31, "rr" = 0002 7272, "t" = 0001 74.
describe('JoinGroup wire format', () => {
  const v5Request = `
    0002 6731 | 00002710 | 0000ea60 | 0000 | ffff | 0008 636f6e73756d6572
    00000001 | 0002 7272 | 00000003 010203`;

  it('decodes a v5 request (kafkajs first join: empty member id, null instance id)', () => {
    expect(decode(joinGroupApi, 5, v5Request)).toEqual({
      groupId: 'g1',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 60_000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'rr', metadata: Buffer.from([1, 2, 3]) }],
    });
  });

  it('decodes a v0 request, using the session timeout as the rebalance timeout', () => {
    const req = decode(joinGroupApi, 0, `0002 6731 | 00001770 | 0002 6d31 | 0008 636f6e73756d6572 | 00000000`);
    expect(req).toMatchObject({ sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, memberId: 'm1', protocols: [] });
  });

  const leaderAnswer = {
    errorCode: 0,
    generationId: 1,
    protocolName: 'rr',
    leaderId: 'm1',
    memberId: 'm1',
    members: [{ memberId: 'm1', groupInstanceId: null, metadata: Buffer.from([1, 2, 3]) }],
  };

  it('encodes the leader answer for v5 (throttle, instance ids)', () => {
    expect(encode(joinGroupApi, 5, leaderAnswer)).toBe(
      toHex(hex(`00000000 | 0000 | 00000001 | 0002 7272 | 0002 6d31 | 0002 6d31 | 00000001 | 0002 6d31 ffff 00000003 010203`)),
    );
  });

  it('encodes the leader answer for v0 (no throttle, no instance ids)', () => {
    expect(encode(joinGroupApi, 0, leaderAnswer)).toBe(toHex(hex(`0000 | 00000001 | 0002 7272 | 0002 6d31 | 0002 6d31 | 00000001 | 0002 6d31 00000003 010203`)));
  });

  it('encodes a leader answer larger than the writer starts with (regression: Writer grew after picking its buffer)', () => {
    const members = Array.from({ length: 40 }, (_, i) => ({ memberId: `member-${i}`.padEnd(60, 'x'), groupInstanceId: null, metadata: Buffer.alloc(100, i) }));
    const w = new Writer(64);
    joinGroupApi.encode(w, 5, { ...leaderAnswer, members });
    const r = new Reader(Buffer.from(w.finish()));
    r.int32();
    expect([r.int16(), r.int32(), r.string(), r.string(), r.string()]).toEqual([0, 1, 'rr', 'm1', 'm1']);
    const decoded = r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString(), metadata: r.bytes() }));
    expect(decoded).toEqual(members);
  });

  it('encodes MEMBER_ID_REQUIRED with the id to use', () => {
    const res = { errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, protocolName: '', leaderId: '', memberId: 'm1', members: [] };
    expect(encode(joinGroupApi, 4, res)).toBe(toHex(hex(`00000000 | 004f | ffffffff | 0000 | 0000 | 0002 6d31 | 00000000`)));
  });
});

describe('SyncGroup, Heartbeat and LeaveGroup wire format', () => {
  it('decodes a v3 leader SyncGroup and encodes v0/v1 answers', () => {
    expect(decode(syncGroupApi, 3, `0002 6731 | 00000002 | 0002 6d31 | ffff | 00000001 | 0002 6d31 | 00000002 abcd`)).toEqual({
      groupId: 'g1',
      generationId: 2,
      memberId: 'm1',
      groupInstanceId: null,
      assignments: [{ memberId: 'm1', assignment: Buffer.from([0xab, 0xcd]) }],
    });
    const res = { errorCode: 0, assignment: Buffer.from([0xab, 0xcd]) };
    expect(encode(syncGroupApi, 0, res)).toBe('000000000002abcd');
    expect(encode(syncGroupApi, 1, res)).toBe('00000000000000000002abcd');
  });

  it('decodes Heartbeat v0 and v3 and encodes REBALANCE_IN_PROGRESS', () => {
    expect(decode(heartbeatApi, 0, `0002 6731 | 00000007 | 0002 6d31`)).toEqual({ groupId: 'g1', generationId: 7, memberId: 'm1', groupInstanceId: null });
    expect(decode(heartbeatApi, 3, `0002 6731 | 00000007 | 0002 6d31 | 0002 6931`).groupInstanceId).toBe('i1');
    expect(encode(heartbeatApi, 0, { errorCode: ErrorCode.REBALANCE_IN_PROGRESS })).toBe('001b');
    expect(encode(heartbeatApi, 3, { errorCode: ErrorCode.REBALANCE_IN_PROGRESS })).toBe('00000000001b');
  });

  it('decodes LeaveGroup v3 batches and v1 single members', () => {
    expect(decode(leaveGroupApi, 3, `0002 6731 | 00000002 | 0002 6d31 ffff | 0002 6d32 0002 6932`)).toEqual({
      groupId: 'g1',
      members: [
        { memberId: 'm1', groupInstanceId: null },
        { memberId: 'm2', groupInstanceId: 'i2' },
      ],
    });
    expect(decode(leaveGroupApi, 1, `0002 6731 | 0002 6d31`)).toEqual({ groupId: 'g1', members: [{ memberId: 'm1', groupInstanceId: null }] });
  });

  it('puts the member error at the top level before v3', () => {
    const res = { errorCode: 0, members: [{ memberId: 'm1', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID }] };
    expect(encode(leaveGroupApi, 0, res)).toBe('0019');
    expect(encode(leaveGroupApi, 1, res)).toBe('000000000019');
    expect(encode(leaveGroupApi, 3, res)).toBe(toHex(hex(`00000000 | 0000 | 00000001 | 0002 6d31 ffff 0019`)));
  });
});

describe('offsets through the handlers', () => {
  let dataDir: string;
  let groups: GroupCoordinator;
  let broker: BrokerState;
  const ctx = { signal: new AbortController().signal, clientId: 'c', clientHost: '127.0.0.1' } as RequestContext;

  async function handle<Req, Res>(api: ApiDefinition<Req, Res>, req: Req): Promise<Res> {
    const res = await api.handle(broker, req, ctx);
    if (res === NO_RESPONSE) throw new Error(`${api.name} gave no response`);
    return res;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'groups-wire-'));
    const flusher = new Flusher('os');
    groups = GroupCoordinator.open({ ...DEFAULT_BROKER_CONFIG, dataDir, logger: silentLogger }, flusher);
    // Only what the group handlers touch: the coordinator, the flusher and topic partition counts.
    broker = { groups, flusher, topics: { get: (name: string) => (name === 't' ? { partitions: [0, 1] } : undefined) } } as unknown as BrokerState;
  });
  afterEach(() => {
    groups.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('commits with generation -1 (admin setOffsets) and fetches it back, -1 and "" where nothing was committed', async () => {
    // OffsetCommit v2: group g1, generation -1, member "", retention -1, t[0 → 42, metadata null; 5 → 1].
    const commit = decode(
      offsetCommitApi,
      2,
      `0002 6731 | ffffffff | 0000 | ffffffffffffffff | 00000001 | 0001 74 | 00000002
       00000000 000000000000002a ffff | 00000005 0000000000000001 ffff`,
    );
    const committed = await handle(offsetCommitApi, commit);
    // Partition 5 does not exist: UNKNOWN_TOPIC_OR_PARTITION (3).
    expect(encode(offsetCommitApi, 2, committed)).toBe(toHex(hex(`00000001 | 0001 74 | 00000002 | 00000000 0000 | 00000005 0003`)));
    expect(encode(offsetCommitApi, 3, committed)).toMatch(/^00000000/);

    // OffsetFetch v1: g1, t[0, 1].
    const fetch = decode(offsetFetchApi, 1, `0002 6731 | 00000001 | 0001 74 | 00000002 00000000 00000001`);
    const fetched = await handle(offsetFetchApi, fetch);
    expect(encode(offsetFetchApi, 1, fetched)).toBe(
      toHex(hex(`00000001 | 0001 74 | 00000002 | 00000000 000000000000002a 0000 0000 | 00000001 ffffffffffffffff 0000 0000`)),
    );
    // OffsetFetch v4 with null topics: everything committed, plus throttle and the group error.
    const all = decode(offsetFetchApi, 4, `0002 6731 | ffffffff`);
    expect(all.topics).toBeNull();
    const everything = await handle(offsetFetchApi, all);
    expect(encode(offsetFetchApi, 4, everything)).toBe(toHex(hex(`00000000 | 00000001 | 0001 74 | 00000001 | 00000000 000000000000002a 0000 0000 | 0000`)));
  });

  it('rejects a commit from a stale generation of a live group', async () => {
    const joined = await groups.joinGroup({
      groupId: 'g1',
      memberId: '',
      groupInstanceId: null,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      protocolType: 'consumer',
      protocols: [{ name: 'rr', metadata: Buffer.alloc(0) }],
      clientId: 'c',
      clientHost: '/127.0.0.1',
      requireKnownMemberId: false,
    });
    await groups.syncGroup({ groupId: 'g1', generationId: 1, memberId: joined.memberId, assignments: [] });
    const req = { groupId: 'g1', generationId: 0, memberId: joined.memberId, topics: [{ name: 't', partitions: [{ index: 0, offset: 1, metadata: null }] }] };
    const res = await handle(offsetCommitApi, req);
    expect(res).toEqual([{ name: 't', partitions: [{ index: 0, errorCode: ErrorCode.ILLEGAL_GENERATION }] }]);
    expect(groups.fetchOffsets('g1', null)).toEqual([]);
  });
});

describe('DescribeGroups, ListGroups and DeleteGroups wire format', () => {
  it('encodes a described group (v0) and a Dead unknown one (v1)', () => {
    const member = { memberId: 'm1', groupInstanceId: null, clientId: 'c', clientHost: '/h', metadata: Buffer.from([1]), assignment: Buffer.from([2]) };
    const stable = { errorCode: 0, groupId: 'g1', state: 'Stable' as const, protocolType: 'consumer', protocolName: 'rr', members: [member] };
    expect(encode(describeGroupsApi, 0, [stable])).toBe(
      toHex(hex(`00000001 | 0000 | 0002 6731 | 0006 537461626c65 | 0008 636f6e73756d6572 | 0002 7272 | 00000001 | 0002 6d31 0001 63 0002 2f68 00000001 01 00000001 02`)),
    );
    const dead = { errorCode: 0, groupId: 'g1', state: 'Dead' as const, protocolType: '', protocolName: '', members: [] };
    expect(encode(describeGroupsApi, 1, [dead])).toBe(toHex(hex(`00000000 | 00000001 | 0000 | 0002 6731 | 0004 44656164 | 0000 | 0000 | 00000000`)));
    expect(decode(describeGroupsApi, 2, `00000002 0002 6731 0002 6732`)).toEqual({ groups: ['g1', 'g2'] });
  });

  it('encodes ListGroups v0 and v2', () => {
    const res = { errorCode: 0, groups: [{ groupId: 'g1', protocolType: 'consumer', state: 'Empty' as const }] };
    expect(encode(listGroupsApi, 0, res)).toBe(toHex(hex(`0000 | 00000001 | 0002 6731 0008 636f6e73756d6572`)));
    expect(encode(listGroupsApi, 2, res)).toBe(toHex(hex(`00000000 | 0000 | 00000001 | 0002 6731 0008 636f6e73756d6572`)));
    expect(decode(listGroupsApi, 2, ``)).toEqual({});
  });

  it('encodes DeleteGroups results', () => {
    expect(decode(deleteGroupsApi, 1, `00000001 0002 6731`)).toEqual({ groups: ['g1'] });
    expect(encode(deleteGroupsApi, 0, [{ groupId: 'g1', errorCode: ErrorCode.NON_EMPTY_GROUP }])).toBe(toHex(hex(`00000000 | 00000001 | 0002 6731 0044`)));
  });
});

describe('advertised versions', () => {
  it('matches the compatibility table (JoinGroup from v0 for librdkafka 2.0.2)', () => {
    const ranges = Object.fromEntries(groupApis.map((a) => [a.name, [a.key, a.minVersion, a.maxVersion, a.flexibleFrom]]));
    expect(ranges).toEqual({
      JoinGroup: [11, 0, 5, undefined],
      SyncGroup: [14, 0, 3, undefined],
      Heartbeat: [12, 0, 3, undefined],
      LeaveGroup: [13, 0, 3, undefined],
      OffsetCommit: [8, 2, 5, undefined],
      OffsetFetch: [9, 1, 4, undefined],
      DescribeGroups: [15, 0, 2, undefined],
      ListGroups: [16, 0, 2, undefined],
      DeleteGroups: [42, 0, 1, undefined],
    });
  });
});
