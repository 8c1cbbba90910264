/**
 * Golden bytes for ApiVersions, the one request every client sends first, through the real
 * Connection (framing, request header v1/v2, response header v0), with the expected frames
 * encoded by hand here, not by the broker's Writer. Also the Metadata v4 null-topics request
 * that kafkajs sends for "all topics".
 *
 * The advertised table is spelled out below on purpose: changing a range must change this test.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Connection } from '../server/connection';
import type { BrokerState } from '../broker-state';
import { silentLogger } from '../logger';
import { ErrorCode } from '../protocol/error-codes';
import { Reader } from '../protocol/reader';
import { buildApiTable } from './index';

/** [api_key, min_version, max_version], sorted by key: what the broker must advertise. */
const ADVERTISED: readonly (readonly [number, number, number])[] = [
  [0, 0, 7], // Produce: v0–2 are refused, but librdkafka < 2.8 compresses only if v0 is advertised (KAFKA-18659)
  [1, 4, 11], // Fetch
  [2, 1, 3], // ListOffsets
  [3, 1, 4], // Metadata
  [8, 2, 5], // OffsetCommit
  [9, 1, 4], // OffsetFetch
  [10, 0, 2], // FindCoordinator
  [11, 0, 5], // JoinGroup (min 0: librdkafka 2.0.2 needs it for -G)
  [12, 0, 3], // Heartbeat
  [13, 0, 3], // LeaveGroup
  [14, 0, 3], // SyncGroup
  [15, 0, 2], // DescribeGroups
  [16, 0, 2], // ListGroups
  [18, 0, 3], // ApiVersions
  [19, 2, 4], // CreateTopics
  [20, 0, 1], // DeleteTopics
  [21, 0, 1], // DeleteRecords
  [22, 0, 1], // InitProducerId
  [24, 0, 1], // AddPartitionsToTxn
  [25, 0, 1], // AddOffsetsToTxn
  [26, 0, 1], // EndTxn
  [28, 0, 1], // TxnOffsetCommit
  [32, 0, 2], // DescribeConfigs
  [33, 0, 1], // AlterConfigs
  [37, 0, 1], // CreatePartitions
  [42, 0, 1], // DeleteGroups
];

// Hand encoders for the expected bytes: big-endian fixed widths, as the spec writes them.
const i16 = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};
const i32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
const u8 = (...v: number[]) => Buffer.from(v);
/** A whole response frame: size prefix, then the body as given (correlation id included). */
const framed = (...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([i32(body.length), body]);
};
/** A whole request frame with header v1 (clientId int16 string), or v2 when `tags` is given. */
const requestFrame = (apiKey: number, version: number, correlationId: number, clientId: string, body: Buffer, tags?: Buffer) =>
  framed(i16(apiKey), i16(version), i32(correlationId), i16(Buffer.byteLength(clientId)), Buffer.from(clientId), tags ?? Buffer.alloc(0), body);

/** A Connection over a fake socket: feed it request bytes, collect everything it writes back. */
function fakeConnection() {
  const socket = Object.assign(new EventEmitter(), {
    remoteAddress: '127.0.0.1',
    written: [] as Buffer[],
    destroyed: false,
    writableLength: 0,
    setNoDelay: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    write(b: Buffer) {
      socket.written.push(Buffer.from(b));
      return true;
    },
    destroy() {
      socket.destroyed = true;
    },
  });
  const broker = { logger: silentLogger, config: { maxFrameBytes: 1 << 20 } } as unknown as BrokerState;
  new Connection(socket as unknown as Socket, broker, buildApiTable(), 1);
  return {
    send(bytes: Buffer) {
      socket.emit('data', bytes);
    },
    output: () => Buffer.concat(socket.written),
    closed: () => socket.destroyed,
  };
}

// v0 body: error_code i16, api_keys [api_key i16, min i16, max i16] (int32 count).
const v0Body = (errorCode: number) =>
  Buffer.concat([i16(errorCode), i32(ADVERTISED.length), ...ADVERTISED.flatMap(([k, min, max]) => [i16(k), i16(min), i16(max)])]);

describe('ApiVersions golden bytes', () => {
  it('v3: flexible body after a v0 response header (no header tag buffer)', () => {
    const conn = fakeConnection();
    // librdkafka's v3 request: header v2 (int16 client id + empty tag buffer), body of two
    // compact strings (length + 1 as uvarint) and an empty tag buffer.
    const body = Buffer.concat([u8(11), Buffer.from('librdkafka'), u8(6), Buffer.from('2.0.2'), u8(0)]);
    conn.send(requestFrame(18, 3, 1, 'rdkafka', body, u8(0)));

    const expected = framed(
      i32(1), // correlation id; response header v0, so no tag buffer follows
      i16(ErrorCode.NONE),
      u8(ADVERTISED.length + 1), // compact array: uvarint(n + 1), one byte while n < 127
      ...ADVERTISED.flatMap(([k, min, max]) => [i16(k), i16(min), i16(max), u8(0)]),
      i32(0), // throttle_time_ms
      u8(0), // body tag buffer
    );
    expect(conn.output().toString('hex')).toBe(expected.toString('hex'));
    expect(expected.length).toBe(4 + 4 + 2 + 1 + 7 * ADVERTISED.length + 4 + 1);
    expect(conn.closed()).toBe(false);
  });

  it('v3 ignores unknown tagged fields in the request header and body', () => {
    const conn = fakeConnection();
    // One tag (id 5, 2 bytes) in the header and one (id 0, 1 byte) in the body.
    const body = Buffer.concat([u8(2), Buffer.from('x'), u8(2), Buffer.from('1'), u8(1, 0, 1, 0xaa)]);
    conn.send(requestFrame(18, 3, 9, 'c', body, u8(1, 5, 2, 0xbe, 0xef)));
    const out = conn.output();
    expect(out.readInt32BE(4)).toBe(9);
    expect(out.readInt16BE(8)).toBe(ErrorCode.NONE);
    expect(out.length).toBe(4 + 4 + 2 + 1 + 7 * ADVERTISED.length + 4 + 1);
  });

  it('v0: error, int32-counted array of [key, min, max]', () => {
    const conn = fakeConnection();
    conn.send(requestFrame(18, 0, 0x01020304, 'kafkajs', Buffer.alloc(0)));
    expect(conn.output().toString('hex')).toBe(framed(i32(0x01020304), v0Body(ErrorCode.NONE)).toString('hex'));
  });

  it('v1 and v2: the v0 layout plus throttle_time_ms', () => {
    for (const version of [1, 2]) {
      const conn = fakeConnection();
      conn.send(requestFrame(18, version, 77, 'kafkajs', Buffer.alloc(0)));
      expect(conn.output().toString('hex')).toBe(framed(i32(77), v0Body(ErrorCode.NONE), i32(0)).toString('hex'));
    }
  });

  it('an unsupported version gets UNSUPPORTED_VERSION in the v0 layout, and the connection stays open', () => {
    const conn = fakeConnection();
    conn.send(requestFrame(18, 4, 5, 'future-client', Buffer.from([0, 0, 0])));
    conn.send(requestFrame(18, 99, 6, 'future-client', Buffer.alloc(0)));
    const expected = Buffer.concat([framed(i32(5), v0Body(ErrorCode.UNSUPPORTED_VERSION)), framed(i32(6), v0Body(ErrorCode.UNSUPPORTED_VERSION))]);
    expect(conn.output().toString('hex')).toBe(expected.toString('hex'));
    expect(conn.closed()).toBe(false);
  });

  it('advertises exactly the API table the broker serves', () => {
    const table = [...buildApiTable().values()].map((a) => [a.key, a.advertisedMinVersion ?? a.minVersion, a.maxVersion]).sort((a, b) => a[0]! - b[0]!);
    expect(table).toEqual(ADVERTISED);
  });
});

describe('Metadata request decoding', () => {
  const metadata = buildApiTable().get(3)!;

  it('v4 with a null topic array (kafkajs "all topics") and auto-creation on', () => {
    // topics: int32 -1 (null array), allow_auto_topic_creation: true
    const req = metadata.decode(new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x01])), 4);
    expect(req).toEqual({ topics: null, allowAutoTopicCreation: true });
  });

  it('v4 with a null topic array and auto-creation off', () => {
    expect(metadata.decode(new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00])), 4)).toEqual({ topics: null, allowAutoTopicCreation: false });
  });

  it('v4 with an empty array is "no topics", not "all topics"', () => {
    expect(metadata.decode(new Reader(Buffer.from([0, 0, 0, 0, 0x01])), 4)).toEqual({ topics: [], allowAutoTopicCreation: true });
  });

  it('v4 with named topics', () => {
    const bytes = Buffer.concat([i32(2), i16(1), Buffer.from('a'), i16(3), Buffer.from('b.c'), u8(1)]);
    expect(metadata.decode(new Reader(bytes), 4)).toEqual({ topics: ['a', 'b.c'], allowAutoTopicCreation: true });
  });

  it('v1 has no auto-creation flag and defaults it to true', () => {
    expect(metadata.decode(new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff])), 1)).toEqual({ topics: null, allowAutoTopicCreation: true });
  });

  it('v4 cut before the auto-creation flag is malformed', () => {
    expect(() => metadata.decode(new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff])), 4)).toThrow(expect.objectContaining({ name: 'MalformedFrameError' }));
  });
});
