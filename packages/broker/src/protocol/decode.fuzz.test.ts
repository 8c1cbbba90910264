/**
 * Every API's request decoder, at every advertised version, against hostile bytes: it either
 * decodes or throws MalformedFrameError — never another exception type, never a hang, never an
 * allocation sized by a lying count. Two input shapes: plain random bytes (fail early) and
 * "Kafka-shaped" token streams (small lengths, -1 nulls, plausible counts, huge counts), which get
 * deep into nested arrays before lying.
 */
import fc from 'fast-check';
import { buildApiTable } from '../apis';
import { MalformedFrameError, Reader } from './reader';
import { be, kafkaShapedBody, uvarint } from './test/kafka-shaped';

const apis = [...buildApiTable().values()].sort((a, b) => a.key - b.key);
const versions = apis.flatMap((api) => Array.from({ length: api.maxVersion - api.minVersion + 1 }, (_, i) => [api.name, api.minVersion + i, api] as const));

const kafkaShaped = kafkaShapedBody();
const randomBytes = fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b));

/** Decodes, returning how it ended; anything but success or MalformedFrameError is a failure. */
function decodeOutcome(decode: (r: Reader, v: number) => unknown, bytes: Buffer, version: number): 'ok' | MalformedFrameError {
  const started = performance.now();
  let outcome: 'ok' | MalformedFrameError = 'ok';
  try {
    decode(new Reader(bytes), version);
  } catch (err) {
    if (!(err instanceof MalformedFrameError)) throw new Error(`decoder threw ${String(err)} (not MalformedFrameError) for ${bytes.toString('hex')}`);
    outcome = err;
  }
  const ms = performance.now() - started;
  if (ms > 250) throw new Error(`decoding ${bytes.length} bytes took ${ms.toFixed(0)} ms`);
  return outcome;
}

describe.each(versions)('%s v%i decoder', (_name, version, api) => {
  const decode = api.decode.bind(api);

  it('decodes or rejects random bytes with MalformedFrameError', () => {
    fc.assert(
      fc.property(randomBytes, (bytes) => void decodeOutcome(decode, bytes, version)),
      { numRuns: 150 },
    );
  });

  it('decodes or rejects Kafka-shaped token streams with MalformedFrameError', () => {
    fc.assert(
      fc.property(kafkaShaped, (bytes) => void decodeOutcome(decode, bytes, version)),
      { numRuns: 250 },
    );
  });

  it('rejects a huge count at any field position at once', () => {
    // Zeros decode as empty strings, zero ints and empty arrays, so the decoder walks field by
    // field until it meets the lie, wherever it sits; the lie must fail fast, not allocate.
    const lies = [be(4, 0x7fffffff), be(4, 1_000_001), uvarint(2 ** 31), uvarint(1_000_002)];
    for (const lie of lies) {
      for (let at = 0; at <= 48; at++) {
        decodeOutcome(decode, Buffer.concat([Buffer.alloc(at), lie, Buffer.alloc(16)]), version);
      }
    }
  });
});

describe('Reader arrays', () => {
  const counts = [0x7fffffff, 1_000_001, 1_000_000, 101];
  it.each(counts)('a count of %i with 100 bytes left throws MalformedFrameError without allocating', (n) => {
    const int32Count = Buffer.concat([be(4, n), Buffer.alloc(100)]);
    const compactCount = Buffer.concat([uvarint(n + 1), Buffer.alloc(100)]);
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    expect(() => new Reader(int32Count).array((r) => r.int8())).toThrow(MalformedFrameError);
    expect(() => new Reader(int32Count).nullableArray((r) => r.int8())).toThrow(MalformedFrameError);
    expect(() => new Reader(compactCount).compactArray((r) => r.int8())).toThrow(MalformedFrameError);
    expect(performance.now() - started).toBeLessThan(200);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(4 * 1024 * 1024);
  });

  it('a count that fits the bytes left but not the item size fails at the first missing item', () => {
    // 100 int32 items promised, 100 bytes present (25 items): reads 25, then throws.
    const bytes = Buffer.concat([be(4, 100), Buffer.alloc(100)]);
    expect(() => new Reader(bytes).array((r) => r.int32())).toThrow(MalformedFrameError);
  });

  it('strings, bytes and tag buffers that claim more than the frame throw MalformedFrameError', () => {
    expect(() => new Reader(Buffer.from([0x7f, 0xff, 1, 2])).string()).toThrow(MalformedFrameError);
    expect(() => new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff, 1])).bytes()).toThrow(MalformedFrameError);
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])).compactString()).toThrow(MalformedFrameError);
    expect(() => new Reader(Buffer.from([0x01, 0x00, 0xff, 0xff, 0xff, 0x7f])).taggedFields()).toThrow(MalformedFrameError);
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).uvarint()).toThrow(MalformedFrameError);
  });
});
