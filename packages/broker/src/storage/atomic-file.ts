/** Small metadata files (topics.json, checkpoints) written atomically: tmp, fsync, rename, fsync dir. */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

/** Replaces `path` with `content` so that a crash leaves either the old or the new file, never a mix. */
export function writeFileAtomic(path: string, content: string | Buffer): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/** fsyncs a directory so that creates, renames and deletes inside it are durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Parses a JSON file, or returns undefined when it does not exist. */
export function readJsonFile<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
