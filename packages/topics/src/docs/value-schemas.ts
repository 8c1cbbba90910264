/**
 * Reads what docs/pipeline.md shows of each value schema: the latest `schemas/<folder>/v<N>.avsc`,
 * its record name and top-level fields. A missing folder or file is an error naming it — the doc
 * must never silently lose a topic's contract.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TopicsError } from '../errors';
import type { TopicSpec } from '../topic-spec';

export interface FieldSummary {
  readonly name: string;
  /** The Avro type, compactly: `string`, `null | string`, `long (timestamp-millis)`, `array<Item>`. */
  readonly type: string;
  readonly doc: string | null;
}

export interface SchemaSummary {
  /** Path from the workspace root, e.g. `schemas/events.raw/v2.avsc`. */
  readonly file: string;
  readonly version: number;
  /** Full name: namespace.name. */
  readonly recordName: string;
  readonly doc: string | null;
  readonly fields: readonly FieldSummary[];
}

const VERSION_FILE = /^v([1-9]\d*)\.avsc$/;

/** The newest version of `schemas/<folder>`; throws `schema_missing` / `schema_invalid`. */
export function readLatestSchema(root: string, folder: string): SchemaSummary {
  const dir = join(root, 'schemas', folder);
  const versions = existsSync(dir) ? readdirSync(dir).flatMap((f) => (VERSION_FILE.exec(f) ? [Number(VERSION_FILE.exec(f)![1])] : [])) : [];
  if (!versions.length) throw new TopicsError('schema_missing', `schemas/${folder}/v1.avsc does not exist`);
  const version = Math.max(...versions);
  const file = `schemas/${folder}/v${version}.avsc`;
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(join(root, file), 'utf8'));
  } catch (err) {
    throw new TopicsError('schema_invalid', `${file}: not JSON: ${(err as Error).message}`, { cause: err });
  }
  return summarise(file, version, schema);
}

/** The summary of a parsed schema; throws `schema_invalid` unless it is a record. */
export function summarise(file: string, version: number, schema: unknown): SchemaSummary {
  const s = schema as { type?: unknown; name?: unknown; namespace?: unknown; doc?: unknown; fields?: unknown };
  if (!s || typeof s !== 'object' || s.type !== 'record' || typeof s.name !== 'string' || !Array.isArray(s.fields)) {
    throw new TopicsError('schema_invalid', `${file}: the top level must be an Avro record with a name and fields`);
  }
  const fields = (s.fields as { name?: unknown; type?: unknown; doc?: unknown }[]).map((f) => {
    if (typeof f.name !== 'string') throw new TopicsError('schema_invalid', `${file}: a field has no name`);
    return { name: f.name, type: typeName(f.type), doc: typeof f.doc === 'string' ? f.doc : null };
  });
  return { file, version, recordName: fullName(s.name, s.namespace), doc: typeof s.doc === 'string' ? s.doc : null, fields };
}

const fullName = (name: string, namespace: unknown) => (name.includes('.') || typeof namespace !== 'string' || !namespace ? name : `${namespace}.${name}`);

/** An Avro type, compactly. */
export function typeName(t: unknown): string {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(typeName).join(' | ');
  if (!t || typeof t !== 'object') return String(t);
  const o = t as Record<string, unknown>;
  switch (o['type']) {
    case 'array':
      return `array<${typeName(o['items'])}>`;
    case 'map':
      return `map<${typeName(o['values'])}>`;
    case 'record':
    case 'error':
      return `record ${String(o['name'])}`;
    case 'enum':
      return `enum ${String(o['name'])} (${(Array.isArray(o['symbols']) ? o['symbols'] : []).join(', ')})`;
    case 'fixed':
      return `fixed ${String(o['name'])}[${String(o['size'])}]`;
  }
  const base = typeName(o['type']);
  const logical = o['logicalType'];
  if (typeof logical !== 'string') return base;
  const precision = logical === 'decimal' ? ` ${String(o['precision'])},${String(o['scale'] ?? 0)}` : '';
  return `${base} (${logical}${precision})`;
}

/**
 * The latest schema of every value-schema folder the catalogue names. Every missing or broken file
 * is listed in one error, so one run shows all that is left to write.
 */
export function readValueSchemas(root: string, catalogue: readonly TopicSpec[]): Map<string, SchemaSummary> {
  const out = new Map<string, SchemaSummary>();
  const problems: string[] = [];
  let code: TopicsError['code'] = 'schema_missing';
  for (const folder of new Set(catalogue.map((t) => t.valueSchema))) {
    try {
      out.set(folder, readLatestSchema(root, folder));
    } catch (err) {
      if (!(err instanceof TopicsError)) throw err;
      if (err.code === 'schema_invalid') code = err.code;
      const users = catalogue.filter((t) => t.valueSchema === folder).map((t) => t.name);
      problems.push(`${err.message} (the value schema of ${users.join(', ')})`);
    }
  }
  if (problems.length) {
    throw new TopicsError(code, `cannot render docs/pipeline.md without every value schema:\n  ${problems.join('\n  ')}`);
  }
  return out;
}
