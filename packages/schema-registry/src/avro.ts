/**
 * Avro schemas as the registry sees them: the text it stores, the canonical form that decides
 * whether two registrations are "the same schema" (and so share an id), and the avsc Type that
 * compatibility checks resolve against.
 */
import avsc, { type Type as AvroType } from 'avsc';
import { registryError } from './errors';

export type { AvroType };
type AvroSchema = Parameters<typeof avsc.Type.forSchema>[0];

export interface ParsedSchema {
  /** The schema as stored and served: the client's JSON re-serialised without whitespace. */
  text: string;
  /** Stable JSON (object keys sorted): equal for schemas that differ only in layout or key order. */
  canonical: string;
  type: AvroType;
}

/** Sorted-key JSON: the identity of a schema for id reuse. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Parses a schema string from a request; anything avsc rejects is 42201 with avsc's reason. */
export function parseAvroSchema(schema: unknown): ParsedSchema {
  if (typeof schema !== 'string' || schema.trim() === '') {
    throw registryError('INVALID_SCHEMA', 'Empty schema: the body must have a "schema" field holding the Avro schema as a JSON string');
  }
  let json: unknown;
  try {
    json = JSON.parse(schema);
  } catch (err) {
    throw registryError('INVALID_SCHEMA', `Invalid schema: not JSON (${(err as Error).message})`);
  }
  let type: AvroType;
  try {
    type = avsc.Type.forSchema(json as AvroSchema);
  } catch (err) {
    throw registryError('INVALID_SCHEMA', `Invalid Avro schema: ${(err as Error).message}`);
  }
  const canonical = stableStringify(json);
  remember(canonical, type);
  return { text: JSON.stringify(json), canonical, type };
}

/** The canonical form of stored text; text that does not parse is its own identity. */
export function canonicalForm(text: string): string {
  try {
    return stableStringify(JSON.parse(text));
  } catch {
    return text;
  }
}

// Stored schemas are parsed again for every compatibility check against them; keep the types.
const MAX_CACHED_TYPES = 2000;
const typeCache = new Map<string, AvroType>();

function remember(canonical: string, type: AvroType): void {
  if (typeCache.size >= MAX_CACHED_TYPES) typeCache.clear();
  typeCache.set(canonical, type);
}

/** The avsc Type of a stored schema (cached); throws 42201 if the stored text is not Avro. */
export function storedType(text: string): AvroType {
  const canonical = canonicalForm(text);
  const cached = typeCache.get(canonical);
  return cached ?? parseAvroSchema(text).type;
}
