/**
 * Renders TypeScript types from Avro schemas: records become interfaces, enums string-literal
 * unions, `["null", T]` becomes `T | null`, logical timestamp-millis stays an epoch-ms number
 * (avsc decodes longs as numbers). Named types are collected across all schemas by full name;
 * a name defined twice with different shapes is an error, because it means two topics' copies
 * of a shared type (Identifier, ResolvedEvent, ...) have drifted apart.
 */

/** The subset of Avro's JSON schema grammar the renderer understands. */
export type AvroJson = string | AvroJson[] | AvroComplex;
export interface AvroComplex {
  type: AvroJson;
  name?: string;
  namespace?: string;
  doc?: string;
  fields?: AvroField[];
  symbols?: string[];
  items?: AvroJson;
  values?: AvroJson;
  logicalType?: string;
  size?: number;
}
export interface AvroField {
  name: string;
  type: AvroJson;
  doc?: string;
  default?: unknown;
}

interface NamedDefinition {
  fullName: string;
  shortName: string;
  /** The schema with namespaces resolved, for comparing two definitions of one name. */
  canonical: string;
  render: () => string;
  definedIn: string;
}

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

function fullNameOf(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

function shortNameOf(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

function docComment(doc: string | undefined, indent: string): string {
  if (!doc) return '';
  return `${indent}/** ${doc.replace(/\*\//g, '*\\/')} */\n`;
}

/** Collects named types and renders TypeScript for a set of root schemas. */
export class TypeScriptRenderer {
  private readonly named = new Map<string, NamedDefinition>();

  /** Walks one root schema (from `origin`, for error messages) and returns its root type name. */
  add(schema: AvroJson, origin: string): string {
    return this.typeOf(schema, undefined, origin);
  }

  /** The declarations of every named type seen, sorted by name for stable output. */
  declarations(): string {
    const shortNames = new Map<string, string>();
    for (const def of this.named.values()) {
      const clash = shortNames.get(def.shortName);
      if (clash && clash !== def.fullName) throw new Error(`two named types render as ${def.shortName}: ${clash} and ${def.fullName}; rename one`);
      shortNames.set(def.shortName, def.fullName);
    }
    return [...this.named.values()]
      .sort((a, b) => a.shortName.localeCompare(b.shortName))
      .map((d) => d.render())
      .join('\n');
  }

  private typeOf(schema: AvroJson, namespace: string | undefined, origin: string): string {
    if (typeof schema === 'string') {
      const primitive = PRIMITIVES[schema];
      if (primitive) return primitive;
      const ref = this.named.get(fullNameOf(schema, namespace)) ?? this.named.get(schema);
      if (!ref) throw new Error(`${origin}: reference to undefined type ${schema}`);
      return ref.shortName;
    }
    if (Array.isArray(schema)) return this.unionOf(schema, namespace, origin);
    switch (schema.type) {
      case 'record':
      case 'error':
        return this.define(schema, namespace, origin, (ns) => this.renderRecord(schema, ns, origin));
      case 'enum':
        return this.define(schema, namespace, origin, () => this.renderEnum(schema));
      case 'fixed':
        return this.define(schema, namespace, origin, () => `export type ${schema.name} = Buffer;\n`);
      case 'array':
        return `Array<${this.typeOf(schema.items!, namespace, origin)}>`;
      case 'map':
        return `Record<string, ${this.typeOf(schema.values!, namespace, origin)}>`;
      default:
        if (schema.logicalType === 'timestamp-millis') return 'EpochMillis';
        return this.typeOf(schema.type, namespace, origin);
    }
  }

  private unionOf(branches: AvroJson[], namespace: string | undefined, origin: string): string {
    const complex = branches.filter((b) => typeof b !== 'string' || !PRIMITIVES[b]);
    // avsc unwraps a union only when its branches are distinguishable by value; more than one
    // record/map/array branch would be wrapped ({Name: value}), which these types don't model.
    if (complex.length > 1) throw new Error(`${origin}: unions with more than one complex branch are not supported`);
    return branches.map((b) => this.typeOf(b, namespace, origin)).join(' | ');
  }

  private define(schema: AvroComplex, namespace: string | undefined, origin: string, render: (ns: string | undefined) => string): string {
    const fullName = fullNameOf(schema.name!, schema.namespace ?? namespace);
    const ns = fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : undefined;
    const canonical = JSON.stringify(canonicalForm(schema, namespace));
    const existing = this.named.get(fullName);
    if (existing) {
      if (existing.canonical !== canonical) {
        throw new Error(`${fullName} is defined differently in ${existing.definedIn} and ${origin}: keep every copy of a shared type identical`);
      }
      return existing.shortName;
    }
    const def: NamedDefinition = { fullName, shortName: shortNameOf(fullName), canonical, definedIn: origin, render: () => '' };
    this.named.set(fullName, def);
    const rendered = render(ns);
    def.render = () => rendered;
    return def.shortName;
  }

  private renderRecord(schema: AvroComplex, namespace: string | undefined, origin: string): string {
    const fields = (schema.fields ?? []).map((f) => `${docComment(f.doc, '  ')}  ${f.name}: ${this.typeOf(f.type, namespace, origin)};\n`);
    return `${docComment(schema.doc, '')}export interface ${schema.name} {\n${fields.join('')}}\n`;
  }

  private renderEnum(schema: AvroComplex): string {
    const symbols = (schema.symbols ?? []).map((s) => `'${s}'`).join(' | ');
    return `${docComment(schema.doc, '')}export type ${schema.name} = ${symbols};\n`;
  }
}

/**
 * The schema with every name fully qualified and docs dropped, nested named types reduced to their
 * names (each is compared on its own): two copies compare equal iff they encode alike.
 */
function canonicalForm(schema: AvroJson, namespace: string | undefined, root = true): unknown {
  if (typeof schema === 'string') return PRIMITIVES[schema] ? schema : fullNameOf(schema, namespace);
  if (Array.isArray(schema)) return schema.map((b) => canonicalForm(b, namespace, false));
  const named = schema.type === 'record' || schema.type === 'error' || schema.type === 'enum' || schema.type === 'fixed';
  const fullName = named ? fullNameOf(schema.name!, schema.namespace ?? namespace) : undefined;
  if (fullName && !root) return fullName;
  const ns = fullName?.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : namespace;
  const nested = (t: AvroJson) => canonicalForm(t, ns, false);
  return {
    type: typeof schema.type === 'string' ? schema.type : nested(schema.type),
    ...(fullName ? { name: fullName } : {}),
    ...(schema.fields ? { fields: schema.fields.map((f) => ({ name: f.name, type: nested(f.type), default: f.default })) } : {}),
    ...(schema.symbols ? { symbols: schema.symbols } : {}),
    ...(schema.items !== undefined ? { items: nested(schema.items) } : {}),
    ...(schema.values !== undefined ? { values: nested(schema.values) } : {}),
    ...(schema.logicalType ? { logicalType: schema.logicalType } : {}),
    ...(schema.size !== undefined ? { size: schema.size } : {}),
  };
}
