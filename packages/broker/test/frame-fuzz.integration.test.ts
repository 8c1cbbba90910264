/**
 * Hostile bytes over TCP: random frames, mutated valid frames, lying sizes and counts, unknown
 * APIs and versions. Each may cost its own connection, never the broker: afterwards it still
 * serves healthy clients and no exception escaped.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { Writer } from '../src/protocol/writer';
import { ErrorCode } from '../src/protocol/error-codes';
import { buildBatch, RawClient } from './raw-client';
import { startTestBroker, uniqueName, type TestBroker } from './helpers';

jest.setTimeout(60_000);

let tb: TestBroker;
const escaped: unknown[] = [];
/** Handler failures the broker logged: decoded input must never make a handler throw. */
const handlerFailures: unknown[] = [];
const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (msg: string, fields?: Record<string, unknown>) => void handlerFailures.push({ msg, ...fields }),
};
const record = (err: unknown) => escaped.push(err);

beforeAll(async () => {
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  tb = await startTestBroker({ logger });
});
afterAll(async () => {
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
  await tb.close();
});

/** Sends bytes on a fresh connection; resolves with what came back before close or `ms`. */
function exchange(bytes: Buffer, ms = 150): Promise<{ reply: Buffer; closedByBroker: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let closedByBroker = false;
    const socket = connect(tb.broker.port, '127.0.0.1', () => socket.write(bytes));
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks), closedByBroker });
    };
    const timer = setTimeout(finish, ms);
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => {
      closedByBroker = true;
      finish();
    });
    socket.on('error', () => {
      closedByBroker = true;
      finish();
    });
  });
}

function request(apiKey: number, version: number, body: (w: Writer) => void, correlationId = 7): Buffer {
  const w = new Writer();
  const size = w.placeholder32();
  w.int16(apiKey).int16(version).int32(correlationId).nullableString('fuzz');
  body(w);
  w.patch32(size, w.length - 4);
  return Buffer.from(w.finish());
}

const topic = uniqueName('fuzz');
const validFrames = [
  request(3, 4, (w) => w.array([topic], (w, t) => w.string(t)).bool(true)),
  request(0, 7, (w) => w.nullableString(null).int16(-1).int32(1000).array([0], (w) => w.string(topic).array([0], (w) => w.int32(0).bytes(buildBatch({ records: [{ key: 'k', value: 'v' }] }))))),
  request(1, 11, (w) => {
    w.int32(-1).int32(10).int32(1).int32(1 << 20).int8(1).int32(0).int32(-1);
    w.array([0], (w) => w.string(topic).array([0], (w) => w.int32(0).int32(-1).int64(0).int64(-1).int32(1 << 20)));
    w.array([], () => undefined).string('');
  }),
  request(11, 5, (w) => w.string(uniqueName('g')).int32(6000).int32(6000).string('').nullableString(null).string('consumer').array([0], (w) => w.string('range').bytes(Buffer.from([0, 1])))),
  request(18, 3, (w) => w.compactString('fuzz').compactString('1.0').emptyTaggedFields()),
];

/** Applies one random mutation: flip, insert, delete or truncate bytes (keeping the size prefix honest or not). */
const mutated = fc
  .tuple(fc.constantFrom(...validFrames), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'insert', 'delete', 'truncate')), { minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([frame, edits, fixSize]) => {
    let b = Buffer.from(frame);
    for (const [pos, byte, kind] of edits) {
      const at = 4 + (pos % Math.max(1, b.length - 4));
      if (kind === 'flip') b[at] = byte;
      else if (kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
      else if (kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
      else b = b.subarray(0, at);
    }
    if (fixSize && b.length >= 4) b.writeInt32BE(b.length - 4, 0);
    return b;
  });

const randomFrame = fc.uint8Array({ minLength: 0, maxLength: 300 }).map((body) => {
  const b = Buffer.alloc(4 + body.length);
  b.writeInt32BE(body.length, 0);
  Buffer.from(body).copy(b, 4);
  return b;
});

describe('the broker under hostile frames', () => {
  it('survives random and mutated frames', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, randomFrame, fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b))), async (bytes) => {
        await exchange(bytes, 60);
      }),
      { numRuns: 300 },
    );
  });

  it('closes the connection on a frame claiming 2 GB, without allocating it', async () => {
    const head = Buffer.alloc(8);
    head.writeInt32BE(0x7fffffff, 0);
    const before = process.memoryUsage().rss;
    expect((await exchange(head, 2000)).closedByBroker).toBe(true);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('closes the connection on a negative size', async () => {
    const head = Buffer.alloc(8);
    head.writeInt32BE(-5, 0);
    expect((await exchange(head, 2000)).closedByBroker).toBe(true);
  });

  it('closes the connection on an unknown API key', async () => {
    expect((await exchange(request(999, 0, () => undefined), 2000)).closedByBroker).toBe(true);
  });

  it('closes the connection on an unsupported Produce version', async () => {
    expect((await exchange(request(0, 99, () => undefined), 2000)).closedByBroker).toBe(true);
  });

  it('answers ApiVersions v99 with UNSUPPORTED_VERSION and the table in the v0 layout', async () => {
    const { reply } = await exchange(request(18, 99, () => undefined, 42), 300);
    expect(reply.readInt32BE(4)).toBe(42);
    expect(reply.readInt16BE(8)).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(reply.readInt32BE(10)).toBeGreaterThan(20);
  });

  it('closes the connection on a frame that ends mid-field', async () => {
    const frame = validFrames[0]!;
    const cut = Buffer.from(frame.subarray(0, frame.length - 3));
    cut.writeInt32BE(cut.length - 4, 0);
    expect((await exchange(cut, 2000)).closedByBroker).toBe(true);
  });

  it('still serves healthy clients afterwards, and nothing escaped', async () => {
    const client = await RawClient.connect(tb.broker.port);
    const fresh = uniqueName('after-fuzz');
    await client.request(3, 4, (w) => w.array([fresh], (w, t) => w.string(t)).bool(true));
    expect((await client.produce(fresh, 0, buildBatch({ records: [{ value: 'still-alive' }] }))).errorCode).toBe(ErrorCode.NONE);
    client.close();

    const producer = tb.kafka.producer();
    await producer.connect();
    await producer.send({ topic: fresh, messages: [{ value: 'kafkajs-too' }] });
    await producer.disconnect();
    const admin = tb.kafka.admin();
    await admin.connect();
    expect((await admin.fetchTopicOffsets(fresh))[0]!.high).toBe('2');
    await admin.disconnect();
    expect(escaped).toEqual([]);
    expect(handlerFailures).toEqual([]);
  });
});
