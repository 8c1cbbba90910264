/**
 * Buffered writer of a replacement segment (`<base>.log.cleaned`), made durable and renamed over
 * the original only when complete: a crash leaves either the old segment or the new one, plus at
 * worst a stray `.cleaned` file that the next open deletes.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { readFully, writeFully } from './file-io';
import { CLEANED_SUFFIX } from './log-files';

const BUFFER = 1024 * 1024;

/** Writes `<segment>.cleaned` and, once complete, renames it over the segment. */
export class SegmentWriter {
  private readonly buf = Buffer.allocUnsafe(BUFFER);
  private used = 0;
  private filePos = 0;
  private fdOpen = true;
  private readonly fd: number;
  private readonly tmpPath: string;

  constructor(private readonly path: string) {
    this.tmpPath = path + CLEANED_SUFFIX;
    // 'w' rather than 'wx': a `.cleaned` left by an earlier crash is garbage by definition.
    this.fd = openSync(this.tmpPath, 'w');
  }

  /** Appends bytes buf[start, end). */
  write(src: Buffer, start = 0, end = src.length): void {
    const n = end - start;
    if (this.used + n > BUFFER) this.flush();
    if (n > BUFFER) {
      this.writeOut(src, start, n);
      return;
    }
    src.copy(this.buf, this.used, start, end);
    this.used += n;
  }

  /** Appends bytes [from, to) of another file. */
  copyRange(fd: number, from: number, to: number): void {
    this.flush();
    for (let pos = from; pos < to; ) {
      const got = readFully(fd, this.buf, 0, Math.min(BUFFER, to - pos), pos);
      if (got === 0) throw new Error(`segment ended at ${pos} while copying to ${to}`);
      this.writeOut(this.buf, 0, got);
      pos += got;
    }
  }

  /**
   * fsyncs the replacement and renames it over the original. The caller must swap its in-memory
   * view to the new file before anything else can fail, then make the rename durable (fsyncDir).
   */
  commit(): void {
    this.flush();
    fsyncSync(this.fd);
    this.fdOpen = false;
    closeSync(this.fd);
    renameSync(this.tmpPath, this.path);
  }

  /** Closes and deletes the unfinished replacement (also after a failed commit). */
  abort(): void {
    try {
      if (this.fdOpen) closeSync(this.fd);
    } finally {
      this.fdOpen = false;
      rmSync(this.tmpPath, { force: true });
    }
  }

  private flush(): void {
    if (this.used > 0) this.writeOut(this.buf, 0, this.used);
    this.used = 0;
  }

  private writeOut(src: Buffer, start: number, n: number): void {
    writeFully(this.fd, src, start, n, this.filePos);
    this.filePos += n;
  }
}
