/** Positional whole-buffer reads and writes: readSync/writeSync may transfer less than asked. */
import { readSync, writeSync } from 'node:fs';

/** Reads up to `length` bytes at `position` into buf[offset..]; returns how many the file had. */
export function readFully(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Writes all of buf[offset, offset + length) at `position`. */
export function writeFully(fd: number, buf: Buffer, offset: number, length: number, position: number): void {
  for (let done = 0; done < length; ) done += writeSync(fd, buf, offset + done, length - done, position + done);
}
