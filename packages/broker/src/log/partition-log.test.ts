import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Flusher } from '../storage/flusher';
import { PartitionLog } from './partition-log';
import { Attr, ControlType, buildControlBatch } from './record-batch';
import { crc32c } from './crc32c';
import { buildBatch, headersIn, kafkajsDecode, logConfig, readAll, recordsOf, tempLogDir, triples } from './test/batches';
import type { LogConfig } from './types';

const BIG = 1 << 30;

describe('PartitionLog', () => {
  let tmp: ReturnType<typeof tempLogDir>;
  let flusher: Flusher;
  const open = (config: LogConfig = logConfig(), opts: { clean?: boolean } = {}) => PartitionLog.open(tmp.dir, config, flusher, opts);

  beforeEach(() => {
    tmp = tempLogDir();
    flusher = new Flusher('always');
  });
  afterEach(() => tmp.remove());

  describe('append and read', () => {
    it('assigns offsets, stamps the header, and serves bytes kafkajs decodes', async () => {
      const log = open();
      const a = buildBatch(recordsOf(3, { prefix: 'a' }));
      const b = buildBatch([{ key: 'g', value: 'zipped', timestamp: 1_700_000_000_500, headers: { h: 'x' } }], { codec: 'gzip' });
      expect(log.append(a)).toEqual({ baseOffset: 0, lastOffset: 2 });
      expect(log.append(b)).toEqual({ baseOffset: 3, lastOffset: 3 });
      expect(b.readBigInt64BE(0)).toBe(3n);
      expect(b.readInt32BE(12)).toBe(0); // partitionLeaderEpoch, was -1
      expect(log.logEndOffset).toBe(4);
      expect(log.sizeBytes).toBe(a.length + b.length);

      const served = log.read(0, log.logEndOffset, BIG);
      expect(served.equals(Buffer.concat([a, b]))).toBe(true);
      expect(await triples(served)).toEqual([
        [0, 'a-0', 'v-a-0'],
        [1, 'a-1', 'v-a-1'],
        [2, 'a-2', 'v-a-2'],
        [3, 'g', 'zipped'],
      ]);
      const [, , , zipped] = await kafkajsDecode(served);
      expect(zipped?.timestamp).toBe('1700000000500');
      expect(zipped?.headers['h']?.toString()).toBe('x');

      await flusher.flushed();
      expect(flusher.syncs).toBeGreaterThan(0);
      log.close();
    });

    it('starts empty at offset 0 with no data to read', () => {
      const log = open();
      expect([log.logStartOffset, log.logEndOffset, log.sizeBytes]).toEqual([0, 0, 0]);
      expect(log.read(0, 0, BIG)).toHaveLength(0);
      expect(log.recovery).toEqual({ segments: 1, batches: 0, truncatedBytes: 0 });
      log.close();
    });
  });

  describe('read boundaries', () => {
    // Three batches of two records: offsets 0-1, 2-3, 4-5.
    let log: PartitionLog;
    let batches: Buffer[];
    beforeEach(() => {
      log = open();
      batches = [0, 1, 2].map((i) => buildBatch(recordsOf(2, { prefix: `b${i}` })));
      for (const b of batches) log.append(b);
    });
    afterEach(() => log.close());

    const baseOffsets = (buf: Buffer) => headersIn(buf).map((h) => h.baseOffset);

    it('serves only batches whose last offset is below maxOffset (exclusive)', () => {
      expect(baseOffsets(log.read(0, 6, BIG))).toEqual([0, 2, 4]);
      expect(baseOffsets(log.read(0, 4, BIG))).toEqual([0, 2]);
      expect(baseOffsets(log.read(0, 3, BIG))).toEqual([0]);
      expect(log.read(0, 1, BIG)).toHaveLength(0);
    });

    it('stops before maxBytes but always returns one whole batch', () => {
      const [first, second] = batches as [Buffer, Buffer];
      expect(baseOffsets(log.read(0, 6, 1))).toEqual([0]);
      expect(baseOffsets(log.read(0, 6, first.length + second.length))).toEqual([0, 2]);
      expect(baseOffsets(log.read(0, 6, first.length + second.length - 1))).toEqual([0]);
      expect(baseOffsets(log.read(0, 6, 0))).toEqual([0]);
    });

    it('starts with the batch containing the offset', () => {
      expect(baseOffsets(log.read(3, 6, BIG))).toEqual([2, 4]);
      expect(baseOffsets(log.read(5, 6, BIG))).toEqual([4]);
    });

    it('returns nothing at or past the log end, and does not throw out of range', () => {
      expect(log.read(6, 6, BIG)).toHaveLength(0);
      expect(log.read(100, 200, BIG)).toHaveLength(0);
      expect(baseOffsets(log.read(-5, 6, BIG))).toEqual([0, 2, 4]);
    });
  });

  it('read always answers whole, in-range batches within maxBytes, or one batch (property)', () => {
    const log = open(logConfig({ segmentBytes: 2000 }));
    const stored: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      const b = buildBatch(recordsOf(1 + (i % 4), { prefix: `p${i}`, valueBytes: (i * 53) % 300 }));
      log.append(b);
      stored.push(b);
    }
    const byBase = new Map(stored.map((b) => [Number(b.readBigInt64BE(0)), b]));
    const end = log.logEndOffset;
    fc.assert(
      fc.property(fc.integer({ min: -2, max: end + 2 }), fc.integer({ min: 0, max: end + 2 }), fc.nat(5000), (offset, maxOffset, maxBytes) => {
        const out = log.read(offset, maxOffset, maxBytes);
        const hs = headersIn(out);
        expect(hs.reduce((n, h) => n + h.size, 0)).toBe(out.length);
        if (hs.length > 1) expect(out.length).toBeLessThanOrEqual(maxBytes);
        let at = 0;
        for (const h of hs) {
          expect(h.baseOffset + h.lastOffsetDelta).toBeLessThan(maxOffset);
          expect(out.subarray(at, at + h.size).equals(byBase.get(h.baseOffset)!)).toBe(true);
          at += h.size;
        }
        const first = hs[0];
        if (first) expect(first.baseOffset + first.lastOffsetDelta).toBeGreaterThanOrEqual(offset);
        // Nothing qualifying was skipped: the batch holding `offset` is served unless it is past maxOffset.
        const holder = stored.find((b) => {
          const base = Number(b.readBigInt64BE(0));
          return base + b.readInt32BE(23) >= Math.max(offset, 0);
        });
        const holderLast = holder ? Number(holder.readBigInt64BE(0)) + holder.readInt32BE(23) : Infinity;
        if (offset < end && holderLast < maxOffset) expect(first?.baseOffset).toBe(Number(holder!.readBigInt64BE(0)));
        else expect(out).toHaveLength(0);
      }),
      { numRuns: 300 },
    );
    log.close();
  });

  describe('segments', () => {
    const batch = (i: number) => buildBatch(recordsOf(2, { prefix: `s${i}`, valueBytes: 100 }));
    const perSegment = (n: number) => logConfig({ segmentBytes: batch(0).length * n });

    it('rolls before a batch would overflow segment.bytes, naming files by base offset', async () => {
      const log = open(perSegment(2));
      const all = Array.from({ length: 7 }, (_, i) => batch(i));
      for (const b of all) log.append(b);
      expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.log')).sort()).toEqual([
        '00000000000000000000.log',
        '00000000000000000004.log',
        '00000000000000000008.log',
        '00000000000000000012.log',
      ]);
      // One read never crosses a segment; reading on from the last offset walks them all.
      expect(headersIn(log.read(0, log.logEndOffset, BIG)).map((h) => h.baseOffset)).toEqual([0, 2]);
      expect(readAll(log).equals(Buffer.concat(all))).toBe(true);
      expect((await triples(readAll(log))).map(([o]) => o)).toEqual(Array.from({ length: 14 }, (_, i) => i));
      expect(log.sizeBytes).toBe(readdirSync(tmp.dir).reduce((n, f) => (f.endsWith('.log') ? n + statSync(join(tmp.dir, f)).size : n), 0));
      log.close();
    });

    it('puts a batch larger than segment.bytes alone in its own segment', () => {
      const log = open(logConfig({ segmentBytes: 10 }));
      for (let i = 0; i < 3; i++) log.append(batch(i));
      expect(log.read(0, log.logEndOffset, BIG)).toHaveLength(batch(0).length);
      log.close();
      expect(open().recovery.segments).toBe(3);
    });

    it('applies a new segment.bytes from setConfig to later appends', () => {
      const log = open();
      for (let i = 0; i < 3; i++) log.append(batch(i));
      log.setConfig(perSegment(1));
      for (let i = 3; i < 5; i++) log.append(batch(i));
      log.close();
      expect(open().recovery.segments).toBe(3);
    });
  });

  describe('reopen', () => {
    it('gives back identical state after close, clean or not, and appends continue', () => {
      const config = logConfig({ segmentBytes: 600 });
      const log = open(config);
      for (let i = 0; i < 9; i++) log.append(buildBatch(recordsOf(1 + (i % 3), { prefix: `r${i}`, valueBytes: 50 })));
      log.deleteRecordsBefore(3);
      const before = { start: log.logStartOffset, end: log.logEndOffset, size: log.sizeBytes, data: readAll(log), scan: [...log.scan()] };
      log.close();

      for (const clean of [true, false]) {
        const again = open(config, { clean });
        expect(again.recovery.truncatedBytes).toBe(0);
        expect(again.recovery.batches).toBe(before.scan.length);
        expect({ start: again.logStartOffset, end: again.logEndOffset, size: again.sizeBytes }).toEqual({ start: before.start, end: before.end, size: before.size });
        expect(readAll(again).equals(before.data)).toBe(true);
        expect([...again.scan()]).toEqual(before.scan);
        again.close();
      }
      const last = open(config);
      expect(last.append(buildBatch(recordsOf(1)))).toEqual({ baseOffset: before.end, lastOffset: before.end });
      last.close();
    });
  });

  describe('scan', () => {
    it('yields headers of batches ending at or after fromOffset, with control types', () => {
      const log = open(logConfig({ segmentBytes: 300 }));
      log.append(buildBatch(recordsOf(2), { producerId: 7, producerEpoch: 0, baseSequence: 0, transactional: true }));
      log.append(buildBatch(recordsOf(2, { valueBytes: 200 })));
      log.append(buildControlBatch(7, 0, ControlType.COMMIT, 1_700_000_000_000));
      log.append(buildControlBatch(8, 1, ControlType.ABORT, 1_700_000_000_000));
      const all = [...log.scan()];
      expect(all.map((b) => [b.header.baseOffset, b.header.producerId, b.controlType])).toEqual([
        [0, 7, null],
        [2, -1, null],
        [4, 7, ControlType.COMMIT],
        [5, 8, ControlType.ABORT],
      ]);
      expect([...log.scan(1)].map((b) => b.header.baseOffset)).toEqual([0, 2, 4, 5]);
      expect([...log.scan(4)].map((b) => b.header.baseOffset)).toEqual([4, 5]);
      expect([...log.scan(6)]).toEqual([]);
      log.close();
    });
  });

  describe('deleteRecordsBefore', () => {
    it('moves the log start, deletes whole segments below it, and persists', () => {
      const config = logConfig({ segmentBytes: buildBatch(recordsOf(2)).length });
      const log = open(config);
      for (let i = 0; i < 5; i++) log.append(buildBatch(recordsOf(2, { prefix: `d${i}` }))); // segments 0,2,4,6,8
      log.deleteRecordsBefore(5);
      expect(log.logStartOffset).toBe(5);
      expect(existsSync(join(tmp.dir, '00000000000000000002.log'))).toBe(false);
      expect(existsSync(join(tmp.dir, '00000000000000000004.log'))).toBe(true);
      log.deleteRecordsBefore(3); // never moves back
      expect(log.logStartOffset).toBe(5);
      log.close();

      const again = open(config, { clean: false });
      expect(again.logStartOffset).toBe(5);
      expect(again.logEndOffset).toBe(10);
      expect(headersIn(again.read(again.logStartOffset, 10, BIG)).map((h) => h.baseOffset)).toEqual([4]);
      again.deleteRecordsBefore(10);
      expect([again.logStartOffset, again.logEndOffset]).toEqual([10, 10]);
      expect(again.recovery.segments).toBe(3);
      expect(again.append(buildBatch(recordsOf(1)))).toEqual({ baseOffset: 10, lastOffset: 10 });
      again.close();
      expect(open(config).logStartOffset).toBe(10);
    });

    it('clamps to the log end', () => {
      const log = open();
      log.append(buildBatch(recordsOf(3)));
      log.deleteRecordsBefore(99);
      expect(log.logStartOffset).toBe(3);
      log.close();
    });
  });

  describe('retention', () => {
    const DAY = 24 * 3600 * 1000;
    const now = 1_800_000_000_000;
    const oneBatchPerSegment = (overrides: Partial<LogConfig>) => logConfig({ segmentBytes: 1, ...overrides });
    const batchAt = (ts: number, prefix: string) => buildBatch(recordsOf(2, { ts, prefix }));

    it('deletes the oldest closed segments past retention.ms, never the active one', () => {
      const config = oneBatchPerSegment({ retentionMs: DAY });
      const log = open(config);
      log.append(batchAt(now - 3 * DAY, 'a'));
      log.append(batchAt(now - 2 * DAY, 'b'));
      log.append(batchAt(now - 1000, 'c')); // young: stops deletion
      log.append(batchAt(now - 5 * DAY, 'd')); // old but after a young one
      log.append(batchAt(now - 9 * DAY, 'e')); // active
      expect(log.enforceRetention(now)).toBe(2);
      expect(log.logStartOffset).toBe(4);
      expect(headersIn(log.read(0, log.logEndOffset, BIG)).map((h) => h.baseOffset)).toEqual([4]);
      expect(log.enforceRetention(now)).toBe(0);
      log.close();
      expect(open(config).logStartOffset).toBe(4);
    });

    it('deletes the oldest closed segments while the rest stays at or above retention.bytes', () => {
      const size = batchAt(now, 's0').length;
      const log = open(oneBatchPerSegment({ retentionMs: -1, retentionBytes: 2 * size }));
      for (let i = 0; i < 5; i++) log.append(batchAt(now, `s${i}`));
      expect(log.sizeBytes).toBe(5 * size);
      expect(log.enforceRetention(now)).toBe(3);
      expect(log.sizeBytes).toBe(2 * size);
      expect(log.logStartOffset).toBe(6);
      log.close();
    });

    it('keeps everything with retention.ms = -1 and retention.bytes = -1', () => {
      const log = open(oneBatchPerSegment({ retentionMs: -1, retentionBytes: -1 }));
      for (let i = 0; i < 3; i++) log.append(batchAt(0, `k${i}`));
      expect(log.enforceRetention(now)).toBe(0);
      log.close();
    });
  });

  describe('offsetForTimestamp', () => {
    it('finds the first record at or after a timestamp, inside uncompressed and gzip batches', () => {
      const log = open(logConfig({ segmentBytes: 200 }));
      const rec = (key: string, timestamp: number) => ({ key, value: key, timestamp });
      log.append(buildBatch([rec('a', 100), rec('b', 105), rec('c', 110)])); // 0-2
      log.append(buildBatch([rec('d', 90), rec('e', 120)])); // 3-4: out of order
      log.append(buildBatch([rec('f', 130), rec('g', 140), rec('h', 150)], { codec: 'gzip' })); // 5-7
      expect(log.offsetForTimestamp(0)).toBe(0);
      expect(log.offsetForTimestamp(105)).toBe(1);
      expect(log.offsetForTimestamp(106)).toBe(2);
      expect(log.offsetForTimestamp(111)).toBe(4);
      expect(log.offsetForTimestamp(141)).toBe(7);
      expect(log.offsetForTimestamp(151)).toBeNull();
      log.deleteRecordsBefore(2);
      expect(log.offsetForTimestamp(0)).toBe(2);
      log.close();
    });

    it('treats a LogAppendTime batch as all records at its maxTimestamp', () => {
      const log = open();
      const batch = buildBatch(recordsOf(3, { ts: 100 }));
      batch.writeInt16BE(batch.readInt16BE(21) | Attr.LOG_APPEND_TIME, 21);
      batch.writeBigInt64BE(500n, 35);
      batch.writeUInt32BE(crc32c(batch, 21), 17);
      log.append(batch);
      expect(log.offsetForTimestamp(400)).toBe(0);
      expect(log.offsetForTimestamp(501)).toBeNull();
      log.close();
    });
  });

  it('destroy removes the partition directory', () => {
    const log = open();
    log.append(buildBatch(recordsOf(1)));
    log.destroy();
    expect(existsSync(tmp.dir)).toBe(false);
  });

  it('refuses appends after close', () => {
    const log = open();
    log.close();
    expect(() => log.append(buildBatch(recordsOf(1)))).toThrow(/closed/);
  });
});
