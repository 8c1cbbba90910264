/**
 * The decompressed body as a JSON object. JSON.parse is V8's (native, and iterative: 100k nested
 * arrays parse without overflowing the stack); the error keeps V8's position when it gave one.
 */
import { refusal, type Refusal } from './errors';

/** A parsed JSON object (what every endpoint's body must be). */
export type JsonObject = Record<string, unknown>;

const MAX_MESSAGE_CHARS = 200;

/** True for plain JSON objects, false for arrays, null and scalars. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "null", "an array", "a string"...: what a value is, for error messages. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

export function parseJsonObject(body: Buffer): JsonObject | Refusal {
  // A UTF-8 byte-order mark is legal in front of a text, not in JSON.parse's input.
  const start = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8', start));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const match = /at position (\d+)/.exec(reason);
    const text = reason.length > MAX_MESSAGE_CHARS ? `${reason.slice(0, MAX_MESSAGE_CHARS)}…` : reason;
    return refusal('invalid_json', body.length === start ? 'request body is empty; expected a JSON object' : `request body is not valid JSON: ${text}`, {
      ...(match ? { position: Number(match[1]) } : {}),
    });
  }
  if (!isJsonObject(value)) return refusal('invalid_body', `request body must be a JSON object, got ${describeJsonType(value)}`);
  return value;
}
