/** Path, query and body fields of registry requests, validated the way Confluent does. */
import { parseAvroSchema, type ParsedSchema } from '../avro';
import { parseCompatibilityLevel, type CompatibilityLevel } from '../compatibility';
import { messages, registryError } from '../errors';
import type { SchemaValue } from '../records';

const MAX_INT = 2 ** 31 - 1;

/** A version path segment: 1..2^31-1, or "latest" / -1 (returned as -1); else 42202. */
export function parseVersion(raw: string): number {
  const text = raw.trim();
  if (text.toLowerCase() === 'latest') return -1;
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n > MAX_INT || (n <= 0 && n !== -1)) throw registryError('INVALID_VERSION', messages.invalidVersion(raw));
  return n;
}

/** A schema id path segment; anything but a positive integer names no schema (40403). */
export function parseId(raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_INT) throw registryError('SCHEMA_NOT_FOUND', `Schema ${raw} not found`);
  return n;
}

/** A boolean query flag (Jersey semantics: "true" in any case is true, anything else false). */
export function flag(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === 'true';
}

/** Subjects written to must be non-empty and free of control characters (Confluent: 42208). */
export function validateSubject(subject: string): string {
  // eslint-disable-next-line no-control-regex
  if (subject.length === 0 || /[\u0000-\u001f\u007f]/.test(subject)) throw registryError('INVALID_SUBJECT', `The specified subject '${subject}' is not valid`);
  return subject;
}

function asObject(body: unknown, what: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw registryError('INVALID_SCHEMA', `The request body must be a JSON object with ${what}`);
  return body as Record<string, unknown>;
}

/** The `{schema, schemaType?, references?}` of a register/lookup/compatibility body: Avro only. */
export function schemaFromBody(body: unknown): ParsedSchema {
  const fields = asObject(body, 'a "schema" field');
  const { schemaType, references } = fields;
  if (schemaType !== undefined && schemaType !== null && schemaType !== 'AVRO') {
    const known = schemaType === 'JSON' || schemaType === 'PROTOBUF';
    throw registryError('INVALID_SCHEMA', known ? `schemaType ${schemaType} is not supported: this registry stores AVRO schemas only` : `Unknown schemaType ${JSON.stringify(schemaType)}: only AVRO is supported`);
  }
  if (Array.isArray(references) && references.length > 0) throw registryError('INVALID_SCHEMA', 'Schema references are not supported by this registry');
  return parseAvroSchema(fields.schema);
}

/** Rejects what needs IMPORT mode: registering under an explicit id or version. */
export function rejectImportFields(body: unknown): void {
  const fields = asObject(body, 'a "schema" field');
  if ((fields.id !== undefined && fields.id !== null) || (fields.version !== undefined && fields.version !== null)) {
    throw registryError('OPERATION_NOT_PERMITTED', 'Registering with an explicit id or version needs IMPORT mode, which this registry does not support');
  }
}

/** The `{"compatibility": "..."}` of a config update; 42203 unless it is a known level. */
export function levelFromBody(body: unknown): CompatibilityLevel {
  const value = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).compatibility : undefined;
  const level = parseCompatibilityLevel(value);
  if (!level) throw registryError('INVALID_COMPATIBILITY_LEVEL', messages.invalidLevel());
  return level;
}

/** A subject version as Confluent returns it (schemaType only when not AVRO, as SR <= 7.9). */
export function schemaEntity(value: SchemaValue): Record<string, unknown> {
  const { subject, version, id, schema, schemaType } = value;
  return { subject, version, id, ...(schemaType ? { schemaType } : {}), schema };
}
