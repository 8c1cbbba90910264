/**
 * What a do-not-contact list holds (table do_not_contact_entries, docs/identity.md): identifiers
 * by value hash — lower-case hex SHA-256 of the canonical value, exactly as ingest hashes it
 * (@stratum/identifiers), so an entry and an identifier row meet on (type, hash). Callers
 * canonicalise; this module only checks the shape of what reaches PostgreSQL.
 */
import { defineErrorCodes } from '@stratum/errors';

/** The identifier types a list may hold (the table's CHECK lists the same): people, not devices. */
export const DO_NOT_CONTACT_TYPES = ['email', 'phone', 'user_id'] as const;
export type DoNotContactType = (typeof DO_NOT_CONTACT_TYPES)[number];

export interface DoNotContactEntry {
  readonly type: DoNotContactType;
  /** Lower-case hex SHA-256 of the canonical value (email trimmed and lower-cased, phone E.164, user_id as given). */
  readonly valueHash: string;
  /** The cleartext, for user_id only (identifiers keep user ids in clear, never emails or phones). */
  readonly value?: string | null;
  /** Which list, e.g. `legal`, `complaints`, `crm-suppression`. */
  readonly list: string;
  readonly reason?: string | null;
}

/** An identifier to take off the lists. */
export interface DoNotContactRef {
  readonly type: DoNotContactType;
  readonly valueHash: string;
}

export const doNotContactErrors = defineErrorCodes({
  invalid_entry: { retriable: false, description: 'a do-not-contact entry is malformed (type, hash, list or text); nothing of its batch was written' },
});

const HASH = /^[0-9a-f]{64}$/;
const MAX_TEXT = 1000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL can store: no NUL (text refuses it) and no lone surrogate (json refuses it). */
function storable(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** An operator's label or note: storable and short. */
const note = (text: string) => storable(text) && text.length <= MAX_TEXT;

function problemOf(e: DoNotContactEntry | DoNotContactRef, n: number): string | null {
  if (!(DO_NOT_CONTACT_TYPES as readonly string[]).includes(e.type)) return `entry ${n}: type must be one of ${DO_NOT_CONTACT_TYPES.join(', ')}, got ${JSON.stringify(e.type)}`;
  if (!HASH.test(e.valueHash)) return `entry ${n}: valueHash must be lower-case hex SHA-256`;
  if (!('list' in e)) return null;
  if (e.list.trim() === '' || !note(e.list)) return `entry ${n}: list must be non-empty text of at most ${MAX_TEXT} characters`;
  if (e.reason != null && !note(e.reason)) return `entry ${n}: reason must be text of at most ${MAX_TEXT} characters`;
  if (e.value != null && (e.type !== 'user_id' || !storable(e.value))) return `entry ${n}: value is kept for user_id only, as storable text`;
  return null;
}

/** Throws invalid_entry naming the first malformed entry: a batch is written whole or not at all. */
export function checkEntries(entries: ReadonlyArray<DoNotContactEntry | DoNotContactRef>): void {
  for (const [n, e] of entries.entries()) {
    const problem = problemOf(e, n);
    if (problem !== null) throw doNotContactErrors.error('invalid_entry', problem);
  }
}

/** Checks optional free text (a removal reason) the same way. */
export function checkText(what: string, text: string | null | undefined): void {
  if (text != null && !note(text)) throw doNotContactErrors.error('invalid_entry', `${what} must be text of at most ${MAX_TEXT} characters`);
}
