/**
 * Paging cursors over (dead_lettered_at, dlq_id): the pair is unique, so a page boundary never
 * splits or repeats rows that share a timestamp. The time travels as PostgreSQL's own text with
 * microseconds, not as a JS Date, so the boundary compares exactly whatever precision a row has.
 * Opaque to callers (base64url) so nobody builds one by hand.
 */
import { deadLetterErrors } from './errors';

export interface CursorPosition {
  /** dead_lettered_at as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  readonly at: string;
  readonly dlqId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Whether `value` is a UUID in its canonical text form (what dlq_id, a uuid column, accepts). */
export const isUuid = (value: string): boolean => UUID.test(value);

/** The SELECT expression producing a row's cursor time (see CursorPosition.at). */
export const CURSOR_AT_SQL = `to_char(dead_lettered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** An opaque cursor for `position`. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.at}|${position.dlqId}`, 'utf8').toString('base64url');
}

/** The position behind a cursor from encodeCursor; anything else is invalid_cursor. */
export function decodeCursor(cursor: string): CursorPosition {
  const [at, dlqId, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (at === undefined || dlqId === undefined || rest.length > 0 || !AT.test(at) || !isUuid(dlqId)) {
    throw deadLetterErrors.error('invalid_cursor', `not a dead-letter cursor: ${JSON.stringify(cursor)}`);
  }
  return { at, dlqId };
}
