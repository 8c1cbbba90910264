// The default import is the module object itself, so a spy on it is seen by the code under test.
import fs from 'node:fs';
import { join } from 'node:path';
import { Flusher } from '../storage/flusher';
import { crc32c } from './crc32c';
import { PartitionLog } from './partition-log';
import { Attr, readBatchHeader } from './record-batch';
import { buildBatch, headersIn, logConfig, readAll, tempLogDir, triples, type BatchOptions, type TestRecord } from './test/batches';

const DAY = 24 * 3600 * 1000;
const NOW = 1_800_000_000_000;
const OLD = NOW - 2 * DAY;
const YOUNG = NOW - 1000;
const rec = (key: string | null, value: string | null, timestamp = OLD): TestRecord => ({ key, value, timestamp });

describe('PartitionLog.compact', () => {
  let tmp: ReturnType<typeof tempLogDir>;
  // One batch per segment: every batch but the newest is in a closed segment.
  const config = logConfig({ segmentBytes: 1, cleanupPolicy: 'compact', deleteRetentionMs: DAY });
  const open = (opts: { clean?: boolean } = {}) => PartitionLog.open(tmp.dir, config, new Flusher('os'), opts);
  let log: PartitionLog;
  const append = (records: TestRecord[], opts: BatchOptions = {}) => log.append(buildBatch(records, opts));

  beforeEach(() => {
    tmp = tempLogDir();
    log = open();
  });
  afterEach(() => {
    log.close();
    tmp.remove();
  });

  it('keeps the newest record per key, drops old tombstones, keeps null keys and offsets', async () => {
    append([rec('k1', 'a1'), rec('k2', 'b1')]); // 0-1: both superseded, batch dropped
    append([rec('k1', 'a2')]); // 2
    append([rec('k3', 'c1'), rec('k3', null), rec(null, 'n1')]); // 3-5: old tombstone goes too
    append([rec('k4', null, YOUNG)]); // 6: young tombstone stays
    append([rec('k2', 'b2'), rec('k5', 'e1')], { codec: 'gzip' }); // 7-8: untouched, still gzip
    append([rec('k5', 'e2')]); // 9: active segment, never cleaned and supersedes nothing

    const report = log.compact(NOW, log.logEndOffset);

    const expected = [
      [2, 'k1', 'a2'],
      [5, null, 'n1'],
      [6, 'k4', null],
      [7, 'k2', 'b2'],
      [8, 'k5', 'e1'],
      [9, 'k5', 'e2'],
    ];
    expect(await triples(readAll(log))).toEqual(expected);
    expect(report).toMatchObject({ batchesBefore: 5, batchesAfter: 4, recordsRemoved: 4 });
    expect(report.bytesAfter).toBeLessThan(report.bytesBefore);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([0, 10]);
    // A fetch in a compacted-away range gets the next batch.
    expect(headersIn(log.read(0, 10, 1 << 20)).map((h) => h.baseOffset)).toEqual([2]);

    const rebuilt = headersIn(readAll(log)).find((h) => h.baseOffset === 3)!;
    expect(rebuilt).toMatchObject({ lastOffsetDelta: 2, recordCount: 1 });
    const gzip = headersIn(readAll(log)).find((h) => h.baseOffset === 7)!;
    expect(gzip.attributes & Attr.CODEC_MASK).toBe(1);

    log.close();
    log = open({ clean: false }); // re-validates every CRC
    expect(log.recovery.truncatedBytes).toBe(0);
    expect(await triples(readAll(log))).toEqual(expected);
    expect(log.logStartOffset).toBe(0);
  });

  it('rewrites a partly superseded gzip batch uncompressed with a fresh CRC', async () => {
    append([rec('a', '1'), rec('b', '1'), rec('a', '2')], { codec: 'gzip' });
    append([rec('z', 'active')]);
    expect(log.compact(NOW, log.logEndOffset).recordsRemoved).toBe(1);
    const data = readAll(log);
    const h = readBatchHeader(data)!;
    expect(h).toMatchObject({ baseOffset: 0, lastOffsetDelta: 2, recordCount: 2, attributes: 0 });
    expect(crc32c(data.subarray(0, h.size), 21)).toBe(h.crc);
    expect(await triples(data)).toEqual([
      [1, 'b', '1'],
      [2, 'a', '2'],
      [3, 'z', 'active'],
    ]);
  });

  it('leaves transactional batches alone and lets them supersede nothing', async () => {
    append([rec('k', 'plain-old')]); // 0: superseded by the plain record at 2
    append([rec('k', 'txn')], { transactional: true, producerId: 1, producerEpoch: 0, baseSequence: 0 }); // 1
    append([rec('k', 'plain-new')]); // 2
    append([rec('x', 'active')]);
    log.compact(NOW, log.logEndOffset);
    expect((await triples(readAll(log))).map(([o]) => o)).toEqual([1, 2, 3]);
  });

  it('keeps an old tombstone while an older kept-whole batch may hold its key', () => {
    append([rec('t', 'in-txn')], { transactional: true, producerId: 1, producerEpoch: 0, baseSequence: 0 }); // 0
    append([rec('t', null)]); // 1: would resurrect offset 0 if dropped
    const opaque = buildBatch([rec('s', 'snappy?')]);
    opaque.writeInt16BE(2, 21); // snappy: the broker cannot see its keys
    opaque.writeUInt32BE(crc32c(opaque, 21), 17);
    log.append(opaque); // 2
    append([rec('s', null)]); // 3
    append([rec('u', 'x')]); // 4
    append([rec('u', null)]); // 5: u@4 goes, but the tombstone stays: the opaque batch at 2 might hold u
    append([rec('z', 'active')]); // 6
    log.compact(NOW, log.logEndOffset);
    expect(headersIn(readAll(log)).map((h) => h.baseOffset)).toEqual([0, 1, 2, 3, 5, 6]);
  });

  it('only considers batches entirely below maxOffset (the last stable offset)', async () => {
    for (let i = 0; i < 4; i++) append([rec('k', `v${i}`)]); // 0-3: closed
    append([rec('k', 'v4')]); // 4: active
    log.compact(NOW, 3);
    expect((await triples(readAll(log))).map(([o]) => o)).toEqual([2, 3, 4]);
  });

  it("keeps each producer's newest batch whole so its idempotence state survives a restart", async () => {
    const pid = (producerId: number, baseSequence: number) => ({ producerId, producerEpoch: 0, baseSequence });
    append([rec('k', 'p5'), rec('m', 'p5')], pid(5, 0)); // 0-1: pid 5's newest; k is superseded at 3
    append([rec('j', 'p6-a')], pid(6, 0)); // 2: superseded at 4, and pid 6 wrote again at 5
    append([rec('k', 'x'), rec('j', 'y')]); // 3-4
    append([rec('z', 'p6-b')], pid(6, 1)); // 5
    append([rec('z', 'active')]); // 6
    log.compact(NOW, log.logEndOffset);
    expect((await triples(readAll(log))).map(([o]) => o)).toEqual([0, 1, 3, 4, 5, 6]);
    log.close();
    log = open();
    expect([...log.scan()].map((b) => [b.header.producerId, b.header.recordCount])).toEqual([
      [5, 2],
      [-1, 2],
      [6, 1],
      [-1, 1],
    ]);
  });

  it('does nothing until new data is closed or a kept tombstone expires', async () => {
    append([rec('k', 'v1')]);
    append([rec('k', null, YOUNG)]);
    append([rec('z', 'active')]);
    expect(log.compact(NOW, log.logEndOffset).recordsRemoved).toBe(1);
    expect(log.compact(NOW, log.logEndOffset).batchesBefore).toBe(0);
    expect(log.compact(NOW + DAY + 1, log.logEndOffset).recordsRemoved).toBe(1);
    expect((await triples(readAll(log))).map(([o]) => o)).toEqual([2]);

    append([rec('z', 'newer')]); // 3: closes the segment holding offset 2
    append([rec('y', 'active')]); // 4: closes the one holding 3
    expect(log.compact(NOW + DAY + 1, log.logEndOffset).recordsRemoved).toBe(1);
    expect(await triples(readAll(log))).toEqual([
      [3, 'z', 'newer'],
      [4, 'y', 'active'],
    ]);
  });

  it('survives a crash between writing the .cleaned file and renaming it', async () => {
    append([rec('k', 'v1'), rec('j', 'w1')]);
    append([rec('k', 'v2')]);
    append([rec('z', 'active')]);
    const before = readAll(log);
    let leftover: Buffer | null = null;
    const rename = jest.spyOn(fs, 'renameSync').mockImplementationOnce((from) => {
      leftover = fs.readFileSync(from);
      throw new Error('simulated crash');
    });
    try {
      expect(() => log.compact(NOW, log.logEndOffset)).toThrow('simulated crash');
    } finally {
      rename.mockRestore();
    }
    expect(readAll(log).equals(before)).toBe(true);
    expect(fs.readdirSync(tmp.dir).some((f) => f.endsWith('.cleaned'))).toBe(false);

    // As if the process had died there: the fsynced .cleaned is still on disk at the next open.
    log.close();
    fs.writeFileSync(join(tmp.dir, '00000000000000000000.log.cleaned'), leftover!);
    log = open({ clean: false });
    expect(fs.readdirSync(tmp.dir).some((f) => f.endsWith('.cleaned'))).toBe(false);
    expect(readAll(log).equals(before)).toBe(true);
    expect(log.compact(NOW, log.logEndOffset).recordsRemoved).toBe(1);
    expect(await triples(readAll(log))).toEqual([
      [1, 'j', 'w1'],
      [2, 'k', 'v2'],
      [3, 'z', 'active'],
    ]);
  });
});

describe('PartitionLog.compact with min.compaction.lag.ms', () => {
  let tmp: ReturnType<typeof tempLogDir>;
  afterEach(() => tmp.remove());

  it('leaves batches younger than the lag uncompacted, and compacts them once they are old enough', async () => {
    tmp = tempLogDir();
    const config = logConfig({ segmentBytes: 1, cleanupPolicy: 'compact', deleteRetentionMs: DAY, minCompactionLagMs: DAY });
    const log = PartitionLog.open(tmp.dir, config, new Flusher('os'));
    try {
      log.append(buildBatch([rec('k', 'old-1', NOW - 3 * DAY)])); // 0: superseded by 1, old enough
      log.append(buildBatch([rec('k', 'old-2', NOW - 2 * DAY)])); // 1: superseded by 2, old enough
      log.append(buildBatch([rec('k', 'young', NOW - 1000)])); // 2: younger than the lag
      log.append(buildBatch([rec('k', 'newest', NOW - 500)])); // 3: active segment

      log.compact(NOW, log.logEndOffset);
      // Only the old range is cleaned, and within it offset 1 is the newest value of k.
      expect(await triples(readAll(log))).toEqual([
        [1, 'k', 'old-2'],
        [2, 'k', 'young'],
        [3, 'k', 'newest'],
      ]);

      log.compact(NOW + 2 * DAY, log.logEndOffset);
      expect(await triples(readAll(log))).toEqual([
        [2, 'k', 'young'],
        [3, 'k', 'newest'],
      ]);
    } finally {
      log.close();
    }
  });
});
