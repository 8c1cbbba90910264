/**
 * Startup recovery of a partition directory (Kafka's LogLoader, simplified): delete leftovers of
 * interrupted compactions and deletions, index every segment, and cut the log at the first
 * batch that is partial or fails its checks — truncating that segment and deleting every later
 * one, since they would follow a hole. After a clean shutdown only the last segment, the only one
 * written since its last fsync, has its CRCs checked; otherwise all of them do.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDir } from '../storage/atomic-file';
import { listPartitionDir, readLogStartCheckpoint, segmentFileName, takeCleanMarker } from './log-files';
import { Segment, indexSegmentFile } from './segment';

/** What is on disk once repaired. */
export interface RecoveredDir {
  /** Indexed segments, oldest first; the last one open read-write (none for a new partition). */
  segments: Segment[];
  /** The persisted log start offset, if any. */
  checkpoint: number | undefined;
  /** producerId → base offset of its newest batch. */
  producerLast: Map<number, number>;
  /** Bytes cut from the log. */
  truncatedBytes: number;
}

/** Creates `dir` if needed and recovers its segments; `brokerClean` is the broker's own clean-shutdown verdict. */
export function recoverDir(dir: string, brokerClean: boolean): RecoveredDir {
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  // Consumed either way, so that a crash from now on is seen as unclean.
  const clean = takeCleanMarker(dir) && brokerClean;
  const { segmentBases, leftovers } = listPartitionDir(dir);
  // A new partition's own directory entry must be durable before its first acknowledged write.
  if (created || segmentBases.length === 0) fsyncDir(dirname(dir));
  for (const name of leftovers) rmSync(join(dir, name), { force: true });
  const checkpoint = readLogStartCheckpoint(dir);
  // Segments wholly below the checkpoint: a crash came between writing it and deleting them.
  const below = checkpoint === undefined ? 0 : Math.max(0, segmentBases.findLastIndex((base) => base <= checkpoint));
  for (const base of segmentBases.splice(0, below)) rmSync(join(dir, segmentFileName(base)));

  const segments: Segment[] = [];
  const producerLast = new Map<number, number>();
  let expected = 0;
  for (let s = 0; s < segmentBases.length; s++) {
    const seg = new Segment(dir, segmentBases[s]!);
    const last = s === segmentBases.length - 1;
    const fd = openSync(seg.path, 'r+');
    const fileBytes = fstatSync(fd).size;
    const valid = indexSegmentFile(seg, fd, fileBytes, expected, !clean || last, ({ header: h }) => {
      if (h.producerId >= 0) producerLast.set(h.producerId, h.baseOffset);
    });
    segments.push(seg);
    expected = seg.nextOffset;
    if (valid === fileBytes) {
      if (last) seg.fd = fd;
      else closeSync(fd);
      continue;
    }
    ftruncateSync(fd, valid);
    fsyncSync(fd);
    seg.fd = fd;
    let truncatedBytes = fileBytes - valid;
    for (const base of segmentBases.slice(s + 1)) {
      const path = join(dir, segmentFileName(base));
      truncatedBytes += statSync(path).size;
      rmSync(path);
    }
    fsyncDir(dir);
    return { segments, checkpoint, producerLast, truncatedBytes };
  }
  return { segments, checkpoint, producerLast, truncatedBytes: 0 };
}
