/**
 * docker-compose.yml as the tests see it: parsed with YAML merge keys (`<<: *anchor`, which Compose
 * supports and the file uses for shared fragments), and with `${VAR…}` interpolated from a given
 * environment the way Compose does it, so the values checked are the ones a container gets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Healthcheck {
  test?: string | string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  restart?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  ports?: Array<string | { target: number; published?: string | number; host_ip?: string }>;
  volumes?: Array<string | { type: string; source?: string; target: string; read_only?: boolean }>;
  stop_grace_period?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const COMPOSE_FILE = 'docker-compose.yml';

/** The compose file's text, parsed (no interpolation yet). */
export function readCompose(root: string): { text: string; parsed: unknown } {
  const text = readFileSync(join(root, COMPOSE_FILE), 'utf8');
  return { text, parsed: parse(text, { merge: true }) };
}

/** Every variable the file interpolates, with whether Compose refuses to start without it (`:?`). */
export function referencedVariables(text: string): Map<string, { required: boolean }> {
  const found = new Map<string, { required: boolean }>();
  for (const line of text.split('\n')) {
    if (line.trimStart().startsWith('#')) continue;
    for (const m of line.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?/g)) {
      const name = m[1]!;
      const required = m[2] === ':?' || m[2] === '?';
      found.set(name, { required: required || (found.get(name)?.required ?? false) });
    }
  }
  return found;
}

/**
 * Compose's interpolation of one string: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`. Throws where Compose would refuse.
 */
export function interpolate(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare!;
    const raw = env[name];
    const set = raw !== undefined;
    const nonEmpty = set && raw !== '';
    switch (op) {
      case undefined:
        return raw ?? '';
      case ':-':
        return nonEmpty ? raw! : arg!;
      case '-':
        return set ? raw! : arg!;
      case ':?':
      case '?':
        if (op === ':?' ? !nonEmpty : !set) throw new Error(`${name}: ${arg || 'required'}`);
        return raw!;
      case ':+':
        return nonEmpty ? arg! : '';
      case '+':
        return set ? arg! : '';
      default:
        throw new Error(`unsupported interpolation ${whole}`);
    }
  });
}

/** A deep copy of a parsed YAML value with every string interpolated. */
export function interpolateAll<T>(value: T, env: Readonly<Record<string, string | undefined>>): T {
  if (typeof value === 'string') return interpolate(value, env) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => interpolateAll(v, env)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)])) as T;
  }
  return value;
}

/** A service's environment as a name → text map (Compose accepts a map or `NAME=value` lines). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** `depends_on` as name → condition (the short list form means service_started). */
export function dependenciesOf(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.condition ?? 'service_started']));
}

/** The container ports a service publishes (short `[ip:]host:container[/proto]` or long syntax). */
export function publishedContainerPorts(service: ComposeService): number[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p !== 'string') return p.target;
    const container = p.split('/')[0]!.split(':').at(-1)!;
    return Number(container);
  });
}

/** The command as a list of words. */
export function commandOf(service: ComposeService): string[] {
  const c = service.command;
  return c === undefined ? [] : typeof c === 'string' ? c.split(/\s+/).filter(Boolean) : c;
}

/** `KEY=value` lines of an env file (Compose's .env syntax, without quotes or expansions). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq > 0) out[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return out;
}
