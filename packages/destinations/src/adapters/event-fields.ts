/**
 * Reading a ResolvedEvent's JSON-text fields (properties, traits, context, profileTraits) the way
 * every adapter needs: parsed once, never throwing, own properties only (a `__proto__` key in a
 * client's JSON is data, not a prototype), first present value among several Segment spellings.
 */
import type { Identifier, IdentifierType, ResolvedEvent } from '@stratum/schemas';

export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object in `text`, or {} when it is not JSON object text (the schema promises an object; we do not rely on it). */
export function parseObject(text: string): JsonObject {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : {};
  } catch {
    return {};
  }
}

/** The value at a dotted path (`page.url`), own properties only. */
export function pathValue(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** The first non-blank string among `paths` (numbers are read as their decimal text). */
export function stringAt(root: unknown, ...paths: string[]): string | null {
  for (const path of paths) {
    const value = pathValue(root, path);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}

/** The first finite number among `paths` (numeric strings such as "19.99" count). */
export function numberAt(root: unknown, ...paths: string[]): number | null {
  for (const path of paths) {
    const value = pathValue(root, path);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  }
  return null;
}

/** The JSON-text fields of an event, parsed. */
export interface EventFields {
  readonly properties: JsonObject;
  readonly traits: JsonObject;
  readonly context: JsonObject;
  readonly profileTraits: JsonObject;
}

/** Parses the four JSON-text fields of `event`. */
export function eventFields(event: ResolvedEvent): EventFields {
  return {
    properties: parseObject(event.properties),
    traits: parseObject(event.traits),
    context: parseObject(event.context),
    profileTraits: parseObject(event.profileTraits),
  };
}

/**
 * The distinct SHA-256 hashes of one identifier type, from the event and the profile's canonical
 * identity (the profile may know an email the event did not carry), primary first.
 */
export function identifierHashes(event: ResolvedEvent, type: IdentifierType): string[] {
  const primary = type === 'email' ? event.canonical.emailHash : type === 'phone' ? event.canonical.phoneHash : null;
  const all: Identifier[] = [...event.identifiers, ...event.canonical.identifiers];
  const hashes = [primary, ...all.filter((i) => i.type === type).map((i) => i.valueHash)].filter((h): h is string => h !== null && /^[0-9a-f]{64}$/.test(h));
  return [...new Set(hashes)];
}

/** The event's products (Segment e-commerce spec), or [] when it has none. */
export function products(properties: JsonObject): JsonObject[] {
  const list = pathValue(properties, 'products');
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

/** ISO-8601 text of epoch milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
