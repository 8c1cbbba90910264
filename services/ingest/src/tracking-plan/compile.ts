/**
 * Compiled tracking-plan schemas. ajv turns a JSON Schema into a JavaScript function; compiling
 * costs milliseconds and validating microseconds, so each planned schema is compiled once and the
 * function kept, keyed by tenant/source/type/name/version. When the tenancy directory reloads a
 * source (a new settings object), an unchanged schema is recognised by its JSON text and not
 * compiled again; a changed one is.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { PlannedEvent } from '@stratum/tenancy';
import { isJsonObject } from '../json-object';

/** What the plan says about one event version, ready to use. */
export interface CompiledSchema {
  /** The validator, or null when the schema does not compile (then `compileError` says why). */
  readonly validate: ValidateFunction | null;
  readonly compileError: string | null;
  /** The top-level property names the schema declares, and its patternProperties; null = it lists none. */
  readonly declared: DeclaredProperties | null;
}

export interface DeclaredProperties {
  readonly names: ReadonlySet<string>;
  readonly patterns: readonly RegExp[];
}

interface Entry {
  schema: PlannedEvent['schema'];
  readonly text: string;
  readonly compiled: CompiledSchema;
}

/**
 * One ajv instance per draft, shared by every tenant. `addUsedSchema: false` keeps compiled
 * schemas out of the instance's registry, so two tenants (or two versions) using the same `$id`
 * do not collide. `strict: false`: plans exported from other tools carry unknown keywords
 * (`x-…`, `examples` in odd places) that are documentation, not errors.
 */
function newAjv(draft: '07' | '2020-12'): Ajv | Ajv2020 {
  const options = { allErrors: true, strict: false, addUsedSchema: false, logger: false } as const;
  const ajv = draft === '2020-12' ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv as Ajv);
  return ajv;
}

/** Which draft a schema is written in: 2020-12 when its `$schema` says so, else draft-07 (ajv's default). */
function isDraft2020(schema: PlannedEvent['schema']): boolean {
  return typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
}

function declaredProperties(schema: PlannedEvent['schema']): DeclaredProperties | null {
  if (!isJsonObject(schema.properties)) return null;
  const patterns = isJsonObject(schema.patternProperties) ? Object.keys(schema.patternProperties).map((p) => new RegExp(p, 'u')) : [];
  return { names: new Set(Object.keys(schema.properties)), patterns };
}

export interface ValidatorCacheOptions {
  /** Compiled schemas kept at most; the least recently used go first. Default 10,000. */
  maxEntries?: number;
}

export class ValidatorCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private draft07: Ajv | Ajv2020 | null = null;
  private draft2020: Ajv | Ajv2020 | null = null;
  /** How many schemas were compiled (tests check "once, not per record"). */
  compilations = 0;

  constructor(options: ValidatorCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The compiled form of `planned` for this tenant and source. */
  get(tenantId: string, sourceId: string, planned: PlannedEvent): CompiledSchema {
    const key = [tenantId, sourceId, planned.type, planned.name ?? '', planned.version].join('\u0000');
    const entry = this.entries.get(key);
    if (entry && entry.schema === planned.schema) return this.touch(key, entry).compiled;
    const text = JSON.stringify(planned.schema);
    if (entry && entry.text === text) {
      entry.schema = planned.schema;
      return this.touch(key, entry).compiled;
    }
    const fresh: Entry = { schema: planned.schema, text, compiled: this.compile(planned.schema) };
    this.touch(key, fresh);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return fresh.compiled;
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(key: string, entry: Entry): Entry {
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  private compile(schema: PlannedEvent['schema']): CompiledSchema {
    this.compilations++;
    try {
      const ajv = isDraft2020(schema) ? (this.draft2020 ??= newAjv('2020-12')) : (this.draft07 ??= newAjv('07'));
      return { validate: ajv.compile(schema), compileError: null, declared: declaredProperties(schema) };
    } catch (err) {
      return { validate: null, compileError: (err as Error).message, declared: null };
    }
  }
}

/** `properties.total must be >= 0; properties.currency is required`: ajv's errors on a payload at `root`. */
export function describeAjvErrors(errors: readonly ErrorObject[], root: string, limit = 5): { message: string; path: string } {
  const described = errors.map((e) => {
    const path = errorPath(e, root);
    return { path, text: `${path} ${e.message ?? 'is invalid'}` };
  });
  const shown = described.slice(0, limit).map((d) => d.text);
  if (described.length > limit) shown.push(`and ${described.length - limit} more`);
  return { message: shown.join('; '), path: described[0]?.path ?? root };
}

/** The property an error is about when ajv reports it on the parent object (required, additionalProperties...). */
const PROPERTY_PARAMS = ['missingProperty', 'additionalProperty', 'unevaluatedProperty'] as const;

/** A dotted path from ajv's JSON pointer, down to the named property when the error is about one. */
function errorPath(error: ErrorObject, root: string): string {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  const property = PROPERTY_PARAMS.map((p) => params[p]).find((v) => typeof v === 'string');
  if (typeof property === 'string') segments.push(property);
  return [root, ...segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))].join('');
}
