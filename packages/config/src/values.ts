/**
 * Schemas for environment values, each with a message that says what is expected. Env values
 * are strings; zod's coercions get them wrong (`z.coerce.boolean()` reads "false" as true,
 * `z.coerce.number()` reads "" as 0), so these parse the text themselves.
 * Messages are predicates on the value and never contain it (see problems.ts).
 */
import { z } from 'zod';

/** The parsed value, or what is wrong with the text as a predicate ("is not a port"). */
type Parsed<T> = { readonly value: T } | string;

/** A string schema that trims, then maps the text with `parse`, which returns a value or a problem. */
function fromText<T>(expected: string, parse: (text: string) => Parsed<T>) {
  return z
    .string()
    .trim()
    .transform((text, ctx) => {
      const result = parse(text);
      if (typeof result === 'string') {
        ctx.addIssue({ code: 'custom', message: result });
        return z.NEVER;
      }
      return result.value;
    })
    .describe(expected);
}

/** A TCP port, 0-65535 (0 lets the OS pick a free one, for servers). */
export function port() {
  return fromText('a TCP port, 0-65535', (text) => {
    const n = Number(text);
    return /^\d{1,5}$/.test(text) && n <= 65535 ? { value: n } : 'is not a port (0-65535)';
  });
}

/** An integer within [min, max]. */
export function integer(options: { min?: number; max?: number } = {}) {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  const range = `${min === Number.MIN_SAFE_INTEGER ? '' : ` from ${min}`}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`;
  return fromText(`an integer${range}`, (text) => {
    const n = Number(text);
    return /^-?\d+$/.test(text) && n >= min && n <= max ? { value: n } : `is not an integer${range}`;
  });
}

const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

/** `true`/`false`/`1`/`0`, any case. */
export function booleanFlag() {
  return fromText('true, false, 1 or 0', (text) => {
    const value = BOOLEANS[text.toLowerCase()];
    return value === undefined ? 'is not a boolean (true, false, 1 or 0)' : { value };
  });
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };

/** A duration as milliseconds: `30000`, or with a unit `250ms`, `30s`, `5min`, `1h`. */
export function durationMs(options: { min?: number; max?: number } = {}) {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  const form = 'milliseconds, or a number with ms, s, min or h';
  return fromText(`a duration (${form})`, (text) => {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|min|h)?$/.exec(text);
    if (match === null) return `is not a duration (${form})`;
    const ms = Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2] ?? 'ms']!);
    if (ms < min) return `is shorter than ${min} ms`;
    if (ms > max) return `is longer than ${max} ms`;
    return { value: ms };
  });
}

/** One of a fixed list of words, e.g. log levels. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, options: { ignoreCase?: boolean } = {}) {
  const list = values.join(', ');
  return fromText(`one of ${list}`, (text) => {
    const wanted = options.ignoreCase === true ? text.toLowerCase() : text;
    const found = values.find((v) => (options.ignoreCase === true ? v.toLowerCase() : v) === wanted);
    return found === undefined ? `is not one of ${list}` : { value: found as T[number] };
  });
}

const IDENTIFIER = /^[A-Za-z0-9._-]{1,249}$/;

/** A name safe for Kafka client and group ids and metric labels: letters, digits, `.`, `_`, `-`. */
export function identifier(expected: string) {
  return fromText(expected, (text) => (IDENTIFIER.test(text) ? { value: text } : 'is not a name (letters, digits, ".", "_" or "-", at most 249)'));
}

/** The `host:port` pairs of a comma-separated list, e.g. Kafka bootstrap brokers. */
export function brokerList() {
  const expected = 'comma-separated host:port list';
  return fromText(expected, (text) => {
    const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
    if (entries.length === 0) return `is an empty list (${expected})`;
    const bad = entries.findIndex((e) => !isHostPort(e));
    return bad === -1 ? { value: entries } : `is not a ${expected} (entry ${bad + 1} is not host:port)`;
  });
}

/** A comma-separated list whose entries each match `entry` (described by `expected`); empty text is an empty list. */
export function listOf(expected: string, entry: RegExp) {
  return fromText(`comma-separated list of ${expected}`, (text) => {
    const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
    const bad = entries.findIndex((e) => !entry.test(e));
    return bad === -1 ? { value: entries } : `is not a comma-separated list of ${expected} (entry ${bad + 1} is not)`;
  });
}

function isHostPort(entry: string): boolean {
  // `[::1]:9092` for IPv6, else `host:port` with one colon.
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(entry);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
}

/** An absolute URL with one of `protocols` (without `:`), kept as the string given. */
export function url(options: { protocols: readonly [string, ...string[]] }) {
  const schemes = options.protocols.map((p) => `${p}://`);
  const list = schemes.length === 1 ? schemes[0]! : `${schemes.slice(0, -1).join(', ')} or ${schemes.at(-1)!}`;
  const expected = `URL with ${list}`;
  return fromText(expected, (text) => {
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(text);
    } catch {
      return `is not a ${expected}`;
    }
    const protocol = parsedUrl.protocol.slice(0, -1);
    return options.protocols.includes(protocol) && parsedUrl.host !== '' ? { value: text } : `is not a ${expected}`;
  });
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** One entry of a namedKeys() list: the key's id and its bytes as the base64 text given. */
export interface NamedKey {
  readonly id: string;
  readonly key: string;
}

/**
 * `id:base64,id:base64`: symmetric keys of exactly `bytes` bytes, each named so that what it
 * encrypted records which key to decrypt with. Gives the entries in order (the last is the
 * newest, by convention). Messages name the entry and its id, never key material.
 */
export function namedKeys(options: { bytes: number }) {
  const expected = `comma-separated id:base64 list of ${options.bytes}-byte keys`;
  return fromText(expected, (text) => {
    const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
    if (entries.length === 0) return `is an empty list (${expected})`;
    const keys: NamedKey[] = [];
    for (const [index, entry] of entries.entries()) {
      const problem = namedKeyProblem(entry, options.bytes, keys);
      if (problem !== undefined) return `is not a ${expected} (entry ${index + 1}: ${problem})`;
      const colon = entry.indexOf(':');
      keys.push({ id: entry.slice(0, colon), key: entry.slice(colon + 1) });
    }
    return { value: keys };
  });
}

function namedKeyProblem(entry: string, bytes: number, earlier: readonly NamedKey[]): string | undefined {
  const colon = entry.indexOf(':');
  if (colon === -1) return 'no ":" between id and key';
  const id = entry.slice(0, colon);
  const key = entry.slice(colon + 1);
  if (!KEY_ID.test(id)) return 'the id is not 1-64 letters, digits, ".", "_" or "-"';
  if (earlier.some((k) => k.id === id)) return `the id "${id}" is used twice`;
  if (!BASE64.test(key)) return `the key of "${id}" is not base64`;
  const length = Buffer.from(key, 'base64').length;
  return length === bytes ? undefined : `the key of "${id}" is ${length} bytes, not ${bytes}`;
}
