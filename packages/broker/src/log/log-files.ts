/**
 * File names inside one partition directory and the two small metadata files: the log start
 * offset checkpoint and the clean-shutdown marker. Kafka spells segments the same way, so an
 * operator who knows Kafka can read the directory.
 */
import { closeSync, existsSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, readJsonFile, writeFileAtomic } from '../storage/atomic-file';

const SEGMENT_NAME = /^(\d{20})\.log$/;
/** Suffix of a segment being rewritten by compaction; renamed over the `.log` when complete. */
export const CLEANED_SUFFIX = '.cleaned';
const CHECKPOINT = 'log-start-offset.checkpoint';
const CLEAN_MARKER = '.clean_shutdown';

/** `00000000000000000042.log` for base offset 42. */
export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

/** What a partition directory holds: segment base offsets (ascending) and leftover temp files. */
export function listPartitionDir(dir: string): { segmentBases: number[]; leftovers: string[] } {
  const segmentBases: number[] = [];
  const leftovers: string[] = [];
  for (const name of readdirSync(dir)) {
    const m = SEGMENT_NAME.exec(name);
    if (m) segmentBases.push(Number(m[1]));
    else if (name.endsWith(CLEANED_SUFFIX)) leftovers.push(name);
  }
  segmentBases.sort((a, b) => a - b);
  return { segmentBases, leftovers };
}

interface CheckpointFile {
  version: 1;
  logStartOffset: number;
}

/** The persisted log start offset, or undefined when missing or unreadable (then segments decide). */
export function readLogStartCheckpoint(dir: string): number | undefined {
  try {
    const value = readJsonFile<CheckpointFile>(join(dir, CHECKPOINT))?.logStartOffset;
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Persists the log start offset atomically (tmp, fsync, rename, fsync dir). */
export function writeLogStartCheckpoint(dir: string, logStartOffset: number): void {
  const file: CheckpointFile = { version: 1, logStartOffset };
  writeFileAtomic(join(dir, CHECKPOINT), JSON.stringify(file));
}

/**
 * Consumes the clean-shutdown marker: returns whether it was there and removes it, durably, so a
 * crash from now on is seen as unclean at the next open.
 */
export function takeCleanMarker(dir: string): boolean {
  const path = join(dir, CLEAN_MARKER);
  if (!existsSync(path)) return false;
  rmSync(path);
  fsyncDir(dir);
  return true;
}

/** Leaves the clean-shutdown marker (after every segment was fsynced). */
export function writeCleanMarker(dir: string): void {
  closeSync(openSync(join(dir, CLEAN_MARKER), 'w'));
  fsyncDir(dir);
}
