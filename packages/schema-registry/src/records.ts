/**
 * Records of the `_schemas` topic, in Confluent's JSON layout so either registry can read the
 * other's topic (`storage/serialization/SchemaRegistrySerializer.java`):
 *
 *   key {"keytype":"SCHEMA","subject":S,"version":V,"magic":1}
 *     value {"subject":S,"version":V,"id":N,"schema":"...","deleted":false}   or null (permanent delete)
 *   key {"keytype":"CONFIG","subject":S|null,"magic":0}
 *     value {"compatibilityLevel":"BACKWARD"}                                  or null (config removed)
 *   key {"keytype":"DELETE_SUBJECT","subject":S,"magic":0}
 *     value {"subject":S,"version":V}   (Confluent's soft delete: versions <= V are deleted; read only)
 *
 * Keys are written with a fixed field order so that compaction sees one key per logical entry.
 * Other key types Confluent writes (NOOP, MODE, CONTEXT, ...) are read and ignored.
 */
import { parseCompatibilityLevel, type CompatibilityLevel } from './compatibility';

export interface SchemaValue {
  subject: string;
  version: number;
  id: number;
  schema: string;
  deleted: boolean;
  /** Absent for AVRO, as Confluent writes it. */
  schemaType?: string;
}

export type LogRecord =
  | { kind: 'schema'; subject: string; version: number; value: SchemaValue | null }
  | { kind: 'config'; subject: string | null; value: CompatibilityLevel | null }
  | { kind: 'delete-subject'; subject: string; version: number };

/** Key and value bytes for the producer (value null = tombstone). */
export interface EncodedRecord {
  key: Buffer;
  value: Buffer | null;
}

/** Serialises a record the registry writes. */
export function encodeRecord(record: LogRecord): EncodedRecord {
  switch (record.kind) {
    case 'schema': {
      const key = { keytype: 'SCHEMA', subject: record.subject, version: record.version, magic: 1 };
      const v = record.value;
      const value = v && { subject: v.subject, version: v.version, id: v.id, schema: v.schema, deleted: v.deleted, ...(v.schemaType ? { schemaType: v.schemaType } : {}) };
      return { key: json(key), value: value ? json(value) : null };
    }
    case 'config': {
      const key = { keytype: 'CONFIG', subject: record.subject, magic: 0 };
      return { key: json(key), value: record.value ? json({ compatibilityLevel: record.value }) : null };
    }
    case 'delete-subject': {
      const key = { keytype: 'DELETE_SUBJECT', subject: record.subject, magic: 0 };
      return { key: json(key), value: json({ subject: record.subject, version: record.version }) };
    }
  }
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function parseObject(bytes: Buffer): Record<string, unknown> | null {
  const parsed: unknown = JSON.parse(bytes.toString('utf8'));
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function decodeSchemaValue(value: Record<string, unknown>): SchemaValue | undefined {
  const { subject, version, id, schema, deleted, schemaType } = value;
  if (typeof subject !== 'string' || !isInt(version) || !isInt(id) || typeof schema !== 'string') return undefined;
  const out: SchemaValue = { subject, version, id, schema, deleted: deleted === true };
  if (typeof schemaType === 'string' && schemaType !== 'AVRO') out.schemaType = schemaType;
  return out;
}

/**
 * Parses one record read from the topic. Returns null for records the registry ignores; throws
 * on bytes that are not what they claim to be (the caller logs and skips them).
 */
export function decodeRecord(keyBytes: Buffer | null, valueBytes: Buffer | null): LogRecord | null {
  if (!keyBytes) return null;
  const key = parseObject(keyBytes);
  if (!key) throw new Error('record key is not a JSON object');
  const value = valueBytes ? parseObject(valueBytes) : null;
  const subject = key.subject;
  switch (key.keytype) {
    case 'SCHEMA': {
      if (typeof subject !== 'string' || !isInt(key.version)) throw new Error('SCHEMA key without subject/version');
      if (!value) return { kind: 'schema', subject, version: key.version, value: null };
      const decoded = decodeSchemaValue(value);
      if (!decoded) throw new Error(`malformed SCHEMA value for ${subject} v${key.version}`);
      return { kind: 'schema', subject, version: key.version, value: decoded };
    }
    case 'CONFIG': {
      if (subject !== null && subject !== undefined && typeof subject !== 'string') throw new Error('CONFIG key with a non-string subject');
      // A Confluent config may carry only other settings (normalize, ...): then no level is set.
      const level = value ? parseCompatibilityLevel(value.compatibilityLevel) : undefined;
      return { kind: 'config', subject: subject ?? null, value: level ?? null };
    }
    case 'DELETE_SUBJECT': {
      if (!value || typeof value.subject !== 'string' || !isInt(value.version)) return null;
      return { kind: 'delete-subject', subject: value.subject, version: value.version };
    }
    default:
      return null;
  }
}
