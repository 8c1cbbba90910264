/**
 * Parsing of request bodies the way a platform's front door does: JSON or form-urlencoded, never
 * throwing. A malformed body is an expected input here (the mocks answer it with the platform's 400).
 */
import type { IncomingHttpHeaders } from 'node:http';

/** A parse that either worked or says what was wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** A plain JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** True for a plain object, the only JSON body shape the platforms take. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a body that must be a JSON object. */
export function parseJsonObject(text: string): Parsed<JsonObject> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `body is not valid JSON (${(err as Error).message})` };
  }
  return isJsonObject(value) ? { ok: true, value } : { ok: false, problem: 'body is JSON but not an object' };
}

/** Form fields of an `application/x-www-form-urlencoded` body; repeated keys keep every value. */
export function parseForm(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    const values = fields.get(key);
    if (values === undefined) fields.set(key, [value]);
    else values.push(value);
  }
  return fields;
}

/** The first value of each form field, for platforms that take single values only. */
export function firstValues(fields: Map<string, string[]>): Record<string, string> {
  const first: Record<string, string> = {};
  for (const [key, values] of fields) first[key] = values[0] ?? '';
  return first;
}

/** True when the request says its body is form-urlencoded. */
export function isFormEncoded(headers: IncomingHttpHeaders): boolean {
  return (headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** The value of a single-valued header (the first, if a client sent it twice). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
