/** The reject file: CSV `line,reason,original`, opened on the first rejected row. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

export interface RejectFile {
  write(line: number, reason: string, original: string): Promise<void>;
  /** The path, when anything was written. */
  close(): Promise<string | null>;
}

export function rejectFile(path: string | null): RejectFile {
  let out: WriteStream | null = null;
  return {
    async write(line, reason, original) {
      if (path === null) return;
      if (out === null) {
        out = createWriteStream(path);
        out.write('line,reason,original\n');
      }
      if (!out.write(`${line},${csvCell(reason)},${csvCell(original)}\n`)) await once(out, 'drain');
    },
    async close() {
      if (out === null) return null;
      const stream: WriteStream = out;
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
      return path;
    },
  };
}
