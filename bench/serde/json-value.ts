/**
 * The alternative we measured for free-form JSON: a recursive Avro value type instead of JSON
 * text. Kept only in the benchmark, so the decision (JSON text) can be re-checked on new data.
 */
import type avro from 'avsc';

export const jsonValueSchema = {
  type: 'record',
  name: 'JsonValue',
  namespace: 'io.stratum.bench',
  fields: [
    {
      name: 'v',
      type: ['null', 'boolean', 'long', 'double', 'string', { type: 'array', items: 'io.stratum.bench.JsonValue' }, { type: 'map', values: 'io.stratum.bench.JsonValue' }],
    },
  ],
};

type Wrapped = { v: null | { boolean: boolean } | { long: number } | { double: number } | { string: string } | { array: Wrapped[] } | { map: Record<string, Wrapped> } };

/** JSON → the wrapped-union form avsc needs for this type. */
export function toJsonValue(x: unknown): Wrapped {
  if (x === null || x === undefined) return { v: null };
  if (typeof x === 'boolean') return { v: { boolean: x } };
  if (typeof x === 'number') return Number.isInteger(x) ? { v: { long: x } } : { v: { double: x } };
  if (typeof x === 'string') return { v: { string: x } };
  if (Array.isArray(x)) return { v: { array: x.map(toJsonValue) } };
  const map: Record<string, Wrapped> = {};
  for (const [k, val] of Object.entries(x as Record<string, unknown>)) map[k] = toJsonValue(val);
  return { v: { map } };
}

/** The wrapped-union form → plain JSON. */
export function fromJsonValue(w: Wrapped): unknown {
  const v = w.v;
  if (v === null) return null;
  if ('boolean' in v) return v.boolean;
  if ('long' in v) return v.long;
  if ('double' in v) return v.double;
  if ('string' in v) return v.string;
  if ('array' in v) return v.array.map(fromJsonValue);
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v.map)) out[k] = fromJsonValue(val);
  return out;
}

/** The raw-event schema with every free-form field as a nullable JsonValue instead of text. */
export function withRecursiveFreeForm(rawSchema: string): avro.Schema {
  const schema = JSON.parse(rawSchema) as { fields: Array<{ name: string; type: unknown; default?: unknown }> };
  let first = true;
  for (const field of schema.fields) {
    if (['properties', 'traits', 'context', 'integrations'].includes(field.name)) {
      field.type = ['null', first ? jsonValueSchema : 'io.stratum.bench.JsonValue'];
      first = false;
    }
  }
  return schema as unknown as avro.Schema;
}
