import { appendFileSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Flusher } from '../storage/flusher';
import { PartitionLog } from './partition-log';
import { buildBatch, headersIn, logConfig, readAll, recordsOf, tempLogDir } from './test/batches';
import type { LogConfig } from './types';

const segmentFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.log')).sort();

/** Flips one byte of a file (a bit rot or a torn sector). */
function corrupt(path: string, position: number): void {
  const bytes = readFileSync(path);
  bytes[position] = bytes[position]! ^ 0xff;
  writeFileSync(path, bytes);
}

describe('PartitionLog recovery', () => {
  let tmp: ReturnType<typeof tempLogDir>;
  const flusher = new Flusher('os');
  const open = (config: LogConfig = logConfig(), opts: { clean?: boolean } = {}) => PartitionLog.open(tmp.dir, config, flusher, opts);

  beforeEach(() => {
    tmp = tempLogDir();
  });
  afterEach(() => tmp.remove());

  /** Appends batches of the given record counts; returns the batches as stored. */
  function fill(log: PartitionLog, counts: readonly number[]): Buffer[] {
    return counts.map((n, i) => {
      const b = buildBatch(recordsOf(n, { prefix: `b${i}`, valueBytes: (i * 37) % 200 }));
      log.append(b);
      return b;
    });
  }

  it('a torn tail at any byte recovers to the last whole batch, and appends continue (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.boolean(),
        fc.boolean(),
        (counts, cutSeed, clean, severalSegments) => {
          tmp.remove();
          tmp = tempLogDir();
          const config = logConfig({ segmentBytes: severalSegments ? 700 : 1 << 20 });
          const log = open(config);
          const batches = fill(log, counts);
          log.close();

          const files = segmentFiles(tmp.dir);
          const lastFile = join(tmp.dir, files.at(-1)!);
          const lastBase = Number(files.at(-1)!.slice(0, 20));
          const inLast = batches.filter((b) => Number(b.readBigInt64BE(0)) >= lastBase);
          const fileSize = inLast.reduce((n, b) => n + b.length, 0);
          const cut = cutSeed % (fileSize + 1);
          truncateSync(lastFile, cut);

          // Whole batches that survive: all of the earlier segments, and a prefix of the last.
          let kept = batches.length - inLast.length;
          for (let pos = 0; kept < batches.length && pos + batches[kept]!.length <= cut; kept++) pos += batches[kept]!.length;
          const survivors = batches.slice(0, kept);
          const keptBytes = survivors.slice(batches.length - inLast.length).reduce((n, b) => n + b.length, 0);
          const end = counts.slice(0, kept).reduce((a, b) => a + b, 0);

          const again = open(config, { clean });
          expect(again.recovery.truncatedBytes).toBe(cut - keptBytes);
          expect(again.logEndOffset).toBe(end);
          expect(readAll(again).equals(Buffer.concat(survivors))).toBe(true);
          expect(again.append(buildBatch(recordsOf(2)))).toEqual({ baseOffset: end, lastOffset: end + 1 });
          again.close();
          const third = open(config, { clean: false });
          expect(third.recovery.truncatedBytes).toBe(0);
          expect(third.logEndOffset).toBe(end + 2);
          third.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('cuts at a batch whose CRC-32C fails in the middle of the last segment', () => {
    const log = open();
    const batches = fill(log, [2, 3, 1, 4, 2]);
    log.close();
    const corruptAt = batches[0]!.length + batches[1]!.length; // batch 2 starts here
    corrupt(join(tmp.dir, segmentFiles(tmp.dir)[0]!), corruptAt + 70); // inside its records
    const again = open();
    expect(again.logEndOffset).toBe(5);
    expect(again.recovery.truncatedBytes).toBe(batches.slice(2).reduce((n, b) => n + b.length, 0));
    expect(readAll(again).equals(Buffer.concat(batches.slice(0, 2)))).toBe(true);
    expect(again.append(buildBatch(recordsOf(1))).baseOffset).toBe(5);
    again.close();
  });

  it('cuts zeroed or garbage bytes after the last batch (preallocated tail)', () => {
    const log = open();
    fill(log, [1, 1]);
    const size = log.sizeBytes;
    log.close();
    appendFileSync(join(tmp.dir, segmentFiles(tmp.dir)[0]!), Buffer.alloc(4096));
    const again = open();
    expect([again.logEndOffset, again.sizeBytes, again.recovery.truncatedBytes]).toEqual([2, size, 4096]);
    again.close();
  });

  describe('an older segment', () => {
    const config = logConfig({ segmentBytes: 600 });
    let batches: Buffer[];
    let firstSegment: string;

    beforeEach(() => {
      const log = open(config);
      batches = fill(log, [1, 1, 1, 1, 1, 1, 1, 1]);
      log.close();
      const files = segmentFiles(tmp.dir);
      expect(files.length).toBeGreaterThan(2);
      firstSegment = join(tmp.dir, files[0]!);
      corrupt(firstSegment, batches[0]!.length + 65); // inside batch 1's records
    });

    it('after an unclean shutdown is re-validated: cut there, later segments deleted', () => {
      const again = open(config, { clean: false });
      expect(again.logEndOffset).toBe(1);
      expect(again.recovery.segments).toBe(1);
      expect(segmentFiles(tmp.dir)).toEqual(['00000000000000000000.log']);
      expect(again.recovery.truncatedBytes).toBe(batches.slice(1).reduce((n, b) => n + b.length, 0));
      expect(again.append(buildBatch(recordsOf(1))).baseOffset).toBe(1);
      again.close();
    });

    it('after a clean shutdown is trusted (only the last segment is re-validated)', () => {
      const again = open(config, { clean: true });
      expect(again.logEndOffset).toBe(8);
      again.close();
    });

    it('is re-validated when the partition did not close, even if the broker says clean', () => {
      open(config).close(); // consumes and rewrites the marker
      corrupt(firstSegment, batches[0]!.length + 66);
      const crashed = open(config, { clean: true }); // never closed: no marker left behind
      expect(crashed.logEndOffset).toBe(8);
      const again = open(config, { clean: true });
      expect(again.logEndOffset).toBe(1);
      again.close();
      crashed.destroy();
    });
  });

  it('deletes a leftover .cleaned file and keeps the original segment', () => {
    const log = open();
    const batches = fill(log, [2, 2]);
    log.close();
    writeFileSync(join(tmp.dir, '00000000000000000000.log.cleaned'), batches[1]!.subarray(0, 30));
    const again = open();
    expect(readdirSync(tmp.dir).some((f) => f.endsWith('.cleaned'))).toBe(false);
    expect(readAll(again).equals(Buffer.concat(batches))).toBe(true);
    again.close();
  });

  it('restarts at the checkpointed log start when the data below it was lost', () => {
    const log = open(logConfig({ segmentBytes: 1 }));
    fill(log, [3, 3, 3]);
    log.deleteRecordsBefore(9);
    log.close();
    for (const f of segmentFiles(tmp.dir)) truncateSync(join(tmp.dir, f), 0);
    const again = open();
    expect([again.logStartOffset, again.logEndOffset]).toEqual([9, 9]);
    expect(again.append(buildBatch(recordsOf(1))).baseOffset).toBe(9);
    expect(headersIn(again.read(9, 10, 1 << 20)).map((h) => h.baseOffset)).toEqual([9]);
    again.close();
    expect(segmentFiles(tmp.dir)).toEqual(['00000000000000000009.log']);
  });
});
