/**
 * The body of PUT /v1/profiles/{id}/consents, checked strictly: unknown fields are refused (a
 * misspelt `effective_at` silently ignored would record the wrong time on a legal record), and
 * the first problem is answered with the field and the reason.
 *
 *   { "consents": [ { "purpose": "marketing", "status": "granted" | "denied" | "withdrawn",
 *                     "effectiveAt"?: ISO-8601 with an offset, "evidence"?: object } ] }
 */
import { ApiError, invalid } from '../http/errors';
import { CONSENT_STATUSES, type ConsentChange, type ConsentStatus } from './consents';
import { parseIsoDateTime } from './iso-time';

export const MAX_CONSENTS_PER_REQUEST = 100;
export const MAX_EVIDENCE_BYTES = 8192;
/** Purposes are names a program compares: lower-case, e.g. marketing, sms, email, analytics, ads.meta. */
export const PURPOSE_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
/** Clock skew tolerated on effectiveAt; a consent further in the future would count as current now. */
export const MAX_FUTURE_MS = 5 * 60_000;

const ITEM_FIELDS = new Set(['purpose', 'status', 'effectiveAt', 'evidence']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** jsonb refuses \u0000 and lone surrogates in strings and keys: better a 400 naming the field than a failed insert. */
const LONE_SURROGATE = /\p{Surrogate}/u;
const storableText = (text: string) => !text.includes('\u0000') && !LONE_SURROGATE.test(text);
function storableInJsonb(value: unknown): boolean {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.every(storableInJsonb);
  if (isObject(value)) return Object.entries(value).every(([k, v]) => storableText(k) && storableInJsonb(v));
  return true;
}

/** Evidence nests at most this deep (JSON.stringify and the walk above recurse; a 64 KiB body can nest 30,000 deep). */
export const MAX_EVIDENCE_DEPTH = 32;
function withinDepth(value: unknown, max: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > max) return false;
    level = level.flatMap((v) => (typeof v === 'object' && v !== null ? Object.values(v) : []));
  }
  return true;
}

function checkItem(item: unknown, at: string, now: number): ConsentChange | ApiError {
  if (!isObject(item)) return invalid('invalid_body', at, 'must be an object with purpose and status');
  const unknown = Object.keys(item).find((k) => !ITEM_FIELDS.has(k));
  if (unknown !== undefined) return invalid('invalid_body', `${at}.${unknown.slice(0, 64)}`, 'is not a field of a consent (purpose, status, effectiveAt, evidence)');
  const { purpose, status, effectiveAt, evidence } = item;
  if (typeof purpose !== 'string' || !PURPOSE_PATTERN.test(purpose)) {
    return invalid('invalid_body', `${at}.purpose`, 'must be a lower-case name of 1-64 letters, digits, _ . - starting with a letter, e.g. marketing');
  }
  if (typeof status !== 'string' || !(CONSENT_STATUSES as readonly string[]).includes(status)) return invalid('invalid_body', `${at}.status`, `must be one of ${CONSENT_STATUSES.join(', ')}`);
  let effective: string | null = null;
  if (effectiveAt !== undefined) {
    // An explicit offset: a time without one would mean a different instant per server.
    const ms = typeof effectiveAt === 'string' ? parseIsoDateTime(effectiveAt) : null;
    if (ms === null) return invalid('invalid_body', `${at}.effectiveAt`, 'must be an ISO-8601 date-time with an offset, e.g. 2026-11-24T09:30:00Z');
    if (ms > now + MAX_FUTURE_MS) return invalid('invalid_body', `${at}.effectiveAt`, 'is in the future (more than 5 minutes ahead of the server clock)');
    effective = new Date(ms).toISOString();
  }
  if (evidence !== undefined && !isObject(evidence)) return invalid('invalid_body', `${at}.evidence`, 'must be a JSON object');
  if (evidence !== undefined) {
    if (!withinDepth(evidence, MAX_EVIDENCE_DEPTH)) return invalid('invalid_body', `${at}.evidence`, `nests deeper than ${MAX_EVIDENCE_DEPTH} levels`);
    const json = JSON.stringify(evidence);
    if (Buffer.byteLength(json) > MAX_EVIDENCE_BYTES) return invalid('invalid_body', `${at}.evidence`, `is over ${MAX_EVIDENCE_BYTES} bytes of JSON`);
    if (!storableInJsonb(evidence)) return invalid('invalid_body', `${at}.evidence`, 'contains a NUL character or an unpaired UTF-16 surrogate, which jsonb cannot store');
  }
  return { purpose, status: status as ConsentStatus, effectiveAt: effective, evidence: evidence ?? null };
}

/** The changes a body asks for, in order, or the first problem. `now` is epoch ms. */
export function parseConsentBody(body: unknown, now: number): ConsentChange[] | ApiError {
  if (!isObject(body)) return invalid('invalid_body', 'body', 'must be a JSON object {"consents": [...]}');
  const extra = Object.keys(body).find((k) => k !== 'consents');
  if (extra !== undefined) return invalid('invalid_body', extra.slice(0, 64), 'is not a field of the body (only consents)');
  const list = body.consents;
  if (!Array.isArray(list) || list.length === 0) return invalid('invalid_body', 'consents', 'must be a non-empty array');
  if (list.length > MAX_CONSENTS_PER_REQUEST) return invalid('invalid_body', 'consents', `has ${list.length} entries; at most ${MAX_CONSENTS_PER_REQUEST} per request`);
  const changes: ConsentChange[] = [];
  const seen = new Map<string, number>();
  for (const [i, item] of list.entries()) {
    const change = checkItem(item, `consents[${i}]`, now);
    if (change instanceof ApiError) return change;
    // Two changes of one purpose at one instant would have no defined order; at "now" they always would.
    const key = `${change.purpose}\u0000${change.effectiveAt ?? 'now'}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) return invalid('invalid_body', `consents[${i}]`, `changes ${change.purpose} at the same effectiveAt as consents[${earlier}]`);
    seen.set(key, i);
    changes.push(change);
  }
  return changes;
}
