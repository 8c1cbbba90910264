/**
 * Keyset-pagination cursors: the sort key of the last row of a page, `(timestamp, id)`, as
 * base64url of a JSON pair. Opaque to clients (pass `nextCursor` back as it came). The timestamp
 * is PostgreSQL's own text at microsecond precision, so the next page starts exactly after the
 * last row — a JavaScript Date (milliseconds) could skip or repeat rows sharing a millisecond.
 * Cursors are not signed: a forged one only moves the start within the caller's own tenant.
 */
import { parseIsoDateTime } from './iso-time';

/** The sort key of the last row of a page. */
export interface Cursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as @stratum/db exactTimestampSql writes it. */
  readonly at: string;
  readonly id: string;
}

const EXACT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_CURSOR_LENGTH = 2048;
const MAX_ID_LENGTH = 1024;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one this API made. */
export function decodeCursor(text: string): Cursor | null {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !BASE64URL.test(text)) return null;
  let pair: unknown;
  try {
    pair = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(pair) || pair.length !== 2) return null;
  const [at, id] = pair as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !EXACT_TIMESTAMP.test(at) || parseIsoDateTime(at) === null) return null;
  // PostgreSQL text cannot hold NUL: such an id could only make the query fail.
  if (id.length > MAX_ID_LENGTH || id.includes('\u0000')) return null;
  return { at, id };
}
