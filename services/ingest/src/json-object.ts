/**
 * The free-form parts of an event (properties, traits, context, integrations) travel as JSON
 * object text (docs/contracts.md). Ingest parses each once and writes it back as an object.
 */
import { problem, type Problem } from './reasons';

/** A parsed JSON object. */
export type JsonObject = { [key: string]: unknown };

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a free-form field. Absent (null) and the JSON literal `null` both mean "none sent" and
 * give an empty object: producers that write `JSON.stringify(x ?? null)` are not punished for it.
 */
export function parseJsonObject(text: string | null, path: string): { value: JsonObject } | { problem: Problem } {
  if (text === null) return { value: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { problem: problem('invalid_json', `${path} is not valid JSON: ${(err as Error).message}`, path) };
  }
  if (parsed === null) return { value: {} };
  if (!isJsonObject(parsed)) return { problem: problem('not_an_object', `${path} must be a JSON object, got ${describeJsonType(parsed)}`, path) };
  return { value: parsed };
}

/** "an array", "a string"...: the JSON type of a value, for messages. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
