/**
 * Append-only journal for broker metadata (group offsets, producer ids, transactions).
 * Frame: [length u32][crc32c u32 of version+payload][version u8][payload: UTF-8 JSON].
 * Replay stops at the first torn or corrupt frame and truncates the file there, so a crash in
 * the middle of an append loses only that unacknowledged entry. `compact()` rewrites the file
 * with only the live entries (on startup), atomically.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync, fsyncSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32c } from '../log/crc32c';
import { fsyncDir } from './atomic-file';
import type { Flusher } from './flusher';

const FORMAT_VERSION = 1;
const FRAME_HEADER = 9;

export class Journal<T> {
  private constructor(
    private readonly path: string,
    private fd: number,
    private readonly flusher: Flusher,
  ) {}

  /** Opens (creating if needed) and replays the journal; a bad tail is cut off. */
  static open<T>(path: string, flusher: Flusher): { journal: Journal<T>; entries: T[]; truncatedBytes: number } {
    const entries: T[] = [];
    let valid = 0;
    let size = 0;
    if (existsSync(path)) {
      const buf = readFileSync(path);
      size = buf.length;
      while (valid + FRAME_HEADER <= buf.length) {
        const len = buf.readUInt32BE(valid);
        const end = valid + 8 + len;
        if (len < 1 || end > buf.length) break;
        if (crc32c(buf, valid + 8, end) !== buf.readUInt32BE(valid + 4)) break;
        try {
          entries.push(JSON.parse(buf.toString('utf8', valid + FRAME_HEADER, end)) as T);
        } catch {
          break;
        }
        valid = end;
      }
    }
    const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    if (valid < size) {
      ftruncateSync(fd, valid);
      fsyncSync(fd);
    }
    const journal = new Journal<T>(path, fd, flusher);
    journal.position = valid;
    return { journal, entries, truncatedBytes: size - valid };
  }

  private position = 0;

  /** Appends one entry; durable once `flusher.flushed()` resolves. */
  append(entry: T): void {
    const frame = encodeFrame(entry);
    writeSync(this.fd, frame, 0, frame.length, this.position);
    this.position += frame.length;
    this.flusher.markDirty(this.fd);
  }

  /** Rewrites the journal with just `entries` (tmp file, fsync, rename). */
  compact(entries: readonly T[]): void {
    const tmp = `${this.path}.compact`;
    const fd = openSync(tmp, 'w');
    let pos = 0;
    for (const e of entries) {
      const frame = encodeFrame(e);
      writeSync(fd, frame, 0, frame.length, pos);
      pos += frame.length;
    }
    fsyncSync(fd);
    this.flusher.forget(this.fd);
    closeSync(this.fd);
    renameSync(tmp, this.path);
    fsyncDir(dirname(this.path));
    this.fd = fd;
    this.position = pos;
  }

  /** Syncs and closes the file. */
  close(): void {
    this.flusher.forget(this.fd);
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

function encodeFrame(entry: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(entry));
  const frame = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  frame.writeUInt32BE(payload.length + 1, 0);
  frame.writeUInt8(FORMAT_VERSION, 8);
  payload.copy(frame, FRAME_HEADER);
  frame.writeUInt32BE(crc32c(frame, 8), 4);
  return frame;
}
