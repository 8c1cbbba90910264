/**
 * What a variable's schema says about itself, for error messages and docs: the expected form
 * (its `.describe()` text), its default, whether it may be absent and whether it is secret.
 * zod keeps a description on the instance it was set on, so `.optional()` / `.default()` hide
 * it; we look through those wrappers.
 */
import { z } from 'zod';

const SECRET_SCHEMAS = new WeakSet<z.core.$ZodType>();

/** Variable names whose values are never printed. */
export const SECRET_NAME = /SECRET|PASSWORD|KEY|TOKEN/i;

/** Marks a schema's value as secret whatever the variable is called (e.g. a URL with a password). */
export function secret<T extends z.ZodType>(schema: T): T {
  SECRET_SCHEMAS.add(schema);
  return schema;
}

/** The schema and the schemas it wraps (optional, default, pipe input...), outermost first. */
function layers(schema: z.core.$ZodType): z.core.$ZodType[] {
  const out: z.core.$ZodType[] = [];
  let current: z.core.$ZodType | undefined = schema;
  while (current !== undefined && out.length < 16) {
    out.push(current);
    const def = current._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    current = def.innerType ?? def.in;
  }
  return out;
}

/** The `.describe()` text nearest the outside, e.g. `comma-separated host:port list`. */
export function expectedOf(schema: z.core.$ZodType): string | undefined {
  for (const layer of layers(schema)) {
    const description = z.globalRegistry.get(layer)?.description;
    if (description !== undefined) return description;
  }
  return undefined;
}

/** Whether the value must never be printed. */
export function isSecret(name: string, schema: z.core.$ZodType): boolean {
  return SECRET_NAME.test(name) || layers(schema).some((layer) => SECRET_SCHEMAS.has(layer));
}

export interface DefaultInfo {
  /** Whether the variable may be absent (it has a default or is optional). */
  readonly optional: boolean;
  /** The default as it would be written in the environment, if there is one. */
  readonly default: string | undefined;
}

/** The default of a schema, written back as an environment value (`a:1,b:2`, `true`, `30000`). */
export function defaultOf(schema: z.core.$ZodType): DefaultInfo {
  for (const layer of layers(schema)) {
    const def = layer._zod.def as { type: string; defaultValue?: unknown };
    if (def.type === 'default') return { optional: true, default: envForm(def.defaultValue) };
    if (def.type === 'optional') return { optional: true, default: undefined };
  }
  return { optional: false, default: undefined };
}

function envForm(value: unknown): string {
  if (Array.isArray(value)) return value.map(envForm).join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** `scheme://user:password@host` → `scheme://user:(hidden)@host`, for values that are not secret by name but carry one. */
export function hideUrlPasswords(text: string): string {
  return text.replace(/(\/\/[^/@\s:]*:)[^/@\s]+@/g, '$1(hidden)@');
}
