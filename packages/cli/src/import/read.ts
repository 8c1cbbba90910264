/**
 * Reading a person file as a stream of rows, never the whole file: CSV (header row, RFC 4180
 * quoting, through csv-parse) or NDJSON (one JSON object per line). Each row keeps the text it was
 * read from and its line number, for the reject file. A row the parser cannot read is yielded as
 * `malformed` and reading goes on.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';

export type FileFormat = 'csv' | 'ndjson';

/** One data row: its 1-based number among data rows, the line it starts on, its text. */
export type FileRow =
  | { readonly kind: 'row'; readonly rowNumber: number; readonly line: number; readonly raw: string; readonly cells: readonly string[] }
  | { readonly kind: 'malformed'; readonly rowNumber: number; readonly line: number; readonly raw: string; readonly reason: 'malformed_csv' | 'malformed_json' | 'not_an_object' };

/** A file to read: its path (stdin is spooled to a temporary file first), size and SHA-256. */
export interface InputFile {
  readonly path: string;
  /** As the user named it ("-" for standard input). */
  readonly name: string;
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the bytes: the importId. */
  readonly sha256: string;
  readonly format: FileFormat;
  /** Removes the spooled copy of standard input (no-op for files). */
  dispose(): Promise<void>;
}

/** .ndjson / .jsonl files are NDJSON; anything else is CSV unless `format` says otherwise. */
export function formatOf(name: string, format?: FileFormat): FileFormat {
  if (format) return format;
  return /\.(nd)?jsonl?$/i.test(name) || /\.ndjson$/i.test(name) ? 'ndjson' : 'csv';
}

const hashing = (hash: ReturnType<typeof createHash>) =>
  new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });

/** Hashes a file in one streaming pass; standard input is copied to a temporary file as it is hashed. */
export async function openInputFile(name: string, options: { format?: FileFormat; stdin?: Readable } = {}): Promise<InputFile> {
  const hash = createHash('sha256');
  if (name === '-') {
    const dir = await mkdtemp(join(tmpdir(), 'stratum-import-'));
    const path = join(dir, 'stdin');
    await pipeline(options.stdin ?? process.stdin, hashing(hash), createWriteStream(path));
    const { size } = await stat(path);
    return { path, name, bytes: size, sha256: hash.digest('hex'), format: options.format ?? 'csv', dispose: () => rm(dir, { recursive: true, force: true }) };
  }
  const { size } = await stat(name);
  for await (const chunk of createReadStream(name)) hash.update(chunk as Buffer);
  return { path: name, name, bytes: size, sha256: hash.digest('hex'), format: formatOf(name, options.format), dispose: async () => undefined };
}

/** Where reading is: bytes consumed so far (for the ETA). */
export interface ReadPosition {
  bytesRead(): number;
}

/** The header (CSV: the first record; NDJSON: the keys seen, in order of first appearance) and the rows. */
export interface RowSource extends ReadPosition {
  /** CSV: known before the first row. NDJSON: grows as new keys appear. */
  readonly header: string[];
  rows(): AsyncGenerator<FileRow>;
}

export function readRows(file: InputFile): RowSource {
  const stream = createReadStream(file.path);
  const bytesRead = () => stream.bytesRead;
  return file.format === 'csv' ? csvRows(stream, bytesRead) : ndjsonRows(stream, bytesRead);
}

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

function csvRows(stream: Readable, bytesRead: () => number): RowSource {
  const header: string[] = [];
  const skipped: Array<{ raw: string; line: number }> = [];
  const parser = stream.pipe(
    parse({
      bom: true,
      raw: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err, raw) => {
        const line = (err as { lines?: number } | undefined)?.lines ?? 0;
        skipped.push({ raw: (raw ?? '').replace(/\r?\n$/, ''), line });
      },
    }),
  );
  async function* rows(): AsyncGenerator<FileRow> {
    let rowNumber = 0;
    const drain = function* (): Generator<FileRow> {
      while (skipped.length) {
        const s = skipped.shift()!;
        yield { kind: 'malformed', rowNumber: ++rowNumber, line: s.line, raw: s.raw, reason: 'malformed_csv' };
      }
    };
    for await (const item of parser as AsyncIterable<CsvRecord>) {
      const raw = item.raw.replace(/\r?\n$/, '');
      const line = item.info.lines - (raw.match(/\n/g)?.length ?? 0);
      if (header.length === 0) {
        header.push(...item.record.map((h) => h.trim()));
        continue;
      }
      yield* drain();
      yield { kind: 'row', rowNumber: ++rowNumber, line, raw, cells: item.record };
    }
    yield* drain();
  }
  return { header, bytesRead, rows };
}

function ndjsonRows(stream: Readable, bytesRead: () => number): RowSource {
  const header: string[] = [];
  const index = new Map<string, number>();
  async function* rows(): AsyncGenerator<FileRow> {
    let line = 0;
    let rowNumber = 0;
    for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
      line += 1;
      const raw = line === 1 ? text.replace(/^\uFEFF/, '') : text;
      if (raw.trim() === '') continue;
      rowNumber += 1;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        yield { kind: 'malformed', rowNumber, line, raw, reason: 'malformed_json' };
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        yield { kind: 'malformed', rowNumber, line, raw, reason: 'not_an_object' };
        continue;
      }
      const cells: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        let i = index.get(k);
        if (i === undefined) {
          i = header.length;
          index.set(k, i);
          header.push(k);
        }
        cells[i] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean);
      }
      yield { kind: 'row', rowNumber, line, raw, cells };
    }
  }
  return { header, bytesRead, rows };
}
