/**
 * A service's config: a shape of ENV_VAR name → zod schema, parsed once from an environment that
 * is passed in (tests pass their own, `main.ts` passes `processEnv()`), then frozen.
 */
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './errors';
import { issueMessage, variableProblems } from './problems';
import { defaultOf, expectedOf, hideUrlPasswords, isSecret } from './schema-info';

/** An environment: names to values, unset names absent or undefined. */
export type Env = Readonly<Record<string, string | undefined>>;

/** ENV_VAR name → schema of its text. Schemas take a string (or undefined when unset). */
export type ConfigShape = Readonly<Record<string, z.ZodType<unknown, string | undefined>>>;

export type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** The loaded config of a shape: each variable's parsed value, keyed by its ENV_VAR name. */
export type ConfigOf<S extends ConfigShape> = DeepReadonly<{ [K in keyof S]: z.output<S[K]> }>;

/** A defined (not yet loaded) config. */
export interface ConfigDefinition<S extends ConfigShape> {
  readonly shape: S;
}

/** Declares a service's config; spread the shared fragments into `shape`. */
export function defineConfig<const S extends ConfigShape>(shape: S): ConfigDefinition<S> {
  return Object.freeze({ shape: Object.freeze({ ...shape }) });
}

/** An empty or blank value counts as unset, as `FOO=` in a .env file or a k8s manifest means "no value". */
function present(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

/**
 * Parses `env` against the definition and returns the deeply frozen config; variables outside
 * the shape are ignored. Throws a ConfigError listing every problem, never just the first.
 */
export function loadConfig<S extends ConfigShape>(definition: ConfigDefinition<S>, env: Env): ConfigOf<S> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [name, schema] of Object.entries(definition.shape)) {
    const raw = present(Object.hasOwn(env, name) ? env[name] : undefined);
    const result = schema.safeParse(raw, { error: issueMessage });
    if (result.success) values[name] = result.data;
    else problems.push(...variableProblems(name, schema, raw, result.error.issues));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(values) as ConfigOf<S>;
}

function deepFreeze<T>(value: T): T {
  // Only plain objects and arrays: freezing class instances (URL, Buffer) breaks or misleads.
  const plain = Array.isArray(value) || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype);
  if (!plain || Object.isFrozen(value)) return value;
  for (const child of Object.values(value as object)) deepFreeze(child);
  return Object.freeze(value);
}

/** One variable of a definition, for docs and `--help`. */
export interface VariableDoc {
  readonly name: string;
  readonly expected: string | undefined;
  readonly required: boolean;
  /** The default as an environment value. */
  readonly default: string | undefined;
  readonly secret: boolean;
}

/** The variables of a definition, in declaration order. */
export function describeConfig(definition: ConfigDefinition<ConfigShape>): VariableDoc[] {
  return Object.entries(definition.shape).map(([name, schema]) => {
    const { optional, default: dflt } = defaultOf(schema);
    return { name, expected: expectedOf(schema), required: !optional, default: dflt, secret: isSecret(name, schema) };
  });
}

/** The config with secret values (and passwords inside URLs) replaced by `(hidden)`, safe to log at start-up. */
export function redactConfig<S extends ConfigShape>(definition: ConfigDefinition<S>, config: ConfigOf<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(definition.shape)) {
    const value = (config as Record<string, unknown>)[name];
    if (isSecret(name, schema) && value !== undefined) out[name] = '(hidden)';
    else out[name] = typeof value === 'string' ? hideUrlPasswords(value) : value;
  }
  return out;
}
