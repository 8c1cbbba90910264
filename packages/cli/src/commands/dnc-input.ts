/**
 * Reading a do-not-contact file as a stream: lines, then records, then raw identifier values.
 * Three shapes: CSV whose first line names the column(s) (`email`, `phone`, `user_id`; other
 * columns are ignored), NDJSON (one object per line with those keys), or one value per line when
 * `--type` says what they are. A line that cannot be read is a problem of that line, never fatal;
 * only a file whose shape cannot be told is refused (nothing is written).
 *
 * Not readline: its async iterator reads the whole file ahead of a slow consumer (Node 20), and
 * the database is slower than the disk. Pulling from the stream's own iterator keeps at most a
 * chunk and the current batch in memory.
 */
import type { Readable } from 'node:stream';
import { DO_NOT_CONTACT_TYPES, type DoNotContactType } from '@stratum/identity';

/** A longer line is reported (line_too_long) and skipped, not buffered: no identifier is that long. */
export const MAX_LINE_CHARS = 64 * 1024;

export interface InputLine {
  /** 1-based, as an editor shows it (the header is line 1). */
  readonly line: number;
  /** null when the line was longer than MAX_LINE_CHARS. */
  readonly text: string | null;
}

/** The stream's lines, without line endings (\n or \r\n) and without a leading UTF-8 byte order mark. */
export async function* inputLines(input: Readable): AsyncGenerator<InputLine> {
  input.setEncoding('utf8');
  let line = 0;
  let rest = '';
  let tooLong = false;
  const emit = (text: string): InputLine => {
    line++;
    const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
    return { line, text: tooLong || clean.length > MAX_LINE_CHARS ? null : line === 1 ? clean.replace(/^\uFEFF/, '') : clean };
  };
  for await (const chunk of input as AsyncIterable<string>) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const part of parts) {
      yield emit(part);
      tooLong = false;
    }
    // Keep nothing of an overlong line but the fact; its end is found in a later chunk.
    if (rest.length > MAX_LINE_CHARS) {
      tooLong = true;
      rest = '';
    }
  }
  if (rest !== '' || tooLong) yield emit(rest);
}

export type InputFormat =
  | { readonly kind: 'csv'; readonly columns: ReadonlyArray<{ readonly index: number; readonly type: DoNotContactType }>; readonly ignored: readonly string[] }
  | { readonly kind: 'ndjson'; readonly types: readonly DoNotContactType[] }
  | { readonly kind: 'values'; readonly type: DoNotContactType };

/** Why a line yielded no value (values themselves are judged by canonicalisation). */
export type LineProblem = 'line_too_long' | 'unterminated_quote' | 'invalid_json' | 'not_an_object' | 'not_text' | 'no_value';

export interface RawValue {
  readonly type: DoNotContactType;
  readonly raw: string;
  /** The CSV column or NDJSON key it came from (null for one value per line). */
  readonly column: string | null;
}

export type ParsedLine = { readonly values: RawValue[] } | { readonly problem: LineProblem; readonly column?: string };

const isType = (s: string): s is DoNotContactType => (DO_NOT_CONTACT_TYPES as readonly string[]).includes(s);

/** One CSV record (RFC 4180 quoting: "a,b" and "" for a quote), or null when a quote is left open. */
export function splitCsv(text: string): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}

/**
 * The file's shape, from its name and first non-blank line, or a message saying why it cannot be
 * read. `--type` restricts CSV and NDJSON to that column; with no header naming a column, it reads
 * one value per line (the first line is then data).
 */
export function detectFormat(name: string, firstLine: string, type: DoNotContactType | undefined): InputFormat | string {
  const wanted = type === undefined ? DO_NOT_CONTACT_TYPES : [type];
  if (/\.(ndjson|jsonl)$/i.test(name) || firstLine.trimStart().startsWith('{')) return { kind: 'ndjson', types: wanted };
  const header = splitCsv(firstLine)?.map((h) => h.trim().toLowerCase()) ?? [];
  const named = header.flatMap((h, index) => (isType(h) ? [{ index, type: h }] : []));
  if (named.length > 0) {
    const columns = named.filter((c) => wanted.includes(c.type));
    if (columns.length === 0) return `the header names ${named.map((c) => c.type).join(', ')} but no ${type} column`;
    return { kind: 'csv', columns, ignored: header.filter((h, i) => !columns.some((c) => c.index === i) && h !== '') };
  }
  if (type !== undefined) return { kind: 'values', type };
  return `the first line names no identifier column (${DO_NOT_CONTACT_TYPES.join(', ')}); for one value per line, pass --type`;
}

/** Text of a JSON value as ingest reads an identifier: strings, and numbers for phones and user ids. */
function jsonText(type: DoNotContactType, value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value) && type !== 'email') return String(value);
  return null;
}

/** The raw values of one data line (blank lines are skipped before this). */
export function parseLine(format: InputFormat, text: string): ParsedLine {
  if (format.kind === 'values') return { values: [{ type: format.type, raw: text, column: null }] };
  const values: RawValue[] = [];
  if (format.kind === 'csv') {
    const cells = splitCsv(text);
    if (cells === null) return { problem: 'unterminated_quote' };
    for (const { index, type } of format.columns) {
      const cell = cells[index];
      // An empty cell is no value: a row may carry an email and no phone.
      if (cell !== undefined && cell.trim() !== '') values.push({ type, raw: cell, column: type });
    }
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { problem: 'invalid_json' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: 'not_an_object' };
    for (const type of format.types) {
      const value = (parsed as Record<string, unknown>)[type];
      if (value === undefined || value === null || value === '') continue;
      const raw = jsonText(type, value);
      if (raw === null) return { problem: 'not_text', column: type };
      values.push({ type, raw, column: type });
    }
  }
  return values.length === 0 ? { problem: 'no_value' } : { values };
}
