import fc from 'fast-check';
import { crc32c } from './crc32c';
import { readBatchHeader } from './record-batch';
import { canDecode, decodeRecords, rebuildBatch, recordTimestamp } from './record-codec';
import { buildBatch, triples, type TestRecord } from './test/batches';

const decode = (batch: Buffer) => {
  const h = readBatchHeader(batch)!;
  return { h, decoded: decodeRecords(batch, 0, h) };
};

describe('record codec', () => {
  const records: TestRecord[] = [
    { key: 'a', value: 'x', timestamp: 1_700_000_000_000, headers: { trace: 'abc' } },
    { key: null, value: 'no key', timestamp: 1_699_000_000_000 }, // negative delta
    { key: 'b', value: null, timestamp: 1_800_000_000_000 }, // delta beyond int32
    { key: '', value: '', timestamp: 1_700_000_000_001, offsetDelta: 7 },
  ];

  it.each(['none', 'gzip'] as const)('decodes keys, nulls, offset and timestamp deltas (%s)', (codec) => {
    const { h, decoded } = decode(buildBatch(records, { codec }));
    expect(
      decoded.list.map((r) => [r.key?.toString() ?? null, r.valueIsNull, r.offsetDelta, recordTimestamp(h, r)]),
    ).toEqual([
      ['a', false, 0, 1_700_000_000_000],
      [null, false, 1, 1_699_000_000_000],
      ['b', true, 2, 1_800_000_000_000],
      ['', false, 7, 1_700_000_000_001],
    ]);
  });

  it('rebuilds an uncompressed batch of survivors that kafkajs reads with the original offsets', async () => {
    const batch = buildBatch(records, { codec: 'gzip' });
    batch.writeBigInt64BE(100n, 0);
    const { h, decoded } = decode(batch);
    const rebuilt = rebuildBatch(batch, 0, h, decoded, [decoded.list[0]!, decoded.list[3]!]);
    const r = readBatchHeader(rebuilt)!;
    expect(r).toMatchObject({ baseOffset: 100, size: rebuilt.length, attributes: 0, lastOffsetDelta: 7, recordCount: 2, maxTimestamp: 1_700_000_000_001 });
    expect(crc32c(rebuilt, 21)).toBe(r.crc);
    expect(await triples(rebuilt)).toEqual([
      [100, 'a', 'x'],
      [107, '', ''],
    ]);
  });

  it('does not open snappy, lz4 or zstd bodies', () => {
    const batch = buildBatch(records);
    for (const codec of [2, 3, 4]) {
      batch.writeInt16BE(codec, 21);
      const h = readBatchHeader(batch)!;
      expect(canDecode(h)).toBe(false);
      expect(() => decodeRecords(batch, 0, h)).toThrow(/not supported/);
    }
  });

  it('either decodes or throws on arbitrary record bytes, never reading out of bounds (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 50 }), (body, count) => {
        const batch = Buffer.concat([buildBatch([{ key: 'k', value: 'v', timestamp: 0 }]).subarray(0, 61), body]);
        batch.writeInt32BE(batch.length - 12, 8);
        batch.writeInt32BE(count, 57);
        const h = readBatchHeader(batch)!;
        let list;
        try {
          list = decodeRecords(batch, 0, h).list;
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          return;
        }
        expect(list).toHaveLength(count);
        for (const r of list) expect(r.end).toBeLessThanOrEqual(body.length);
      }),
    );
  });
});
