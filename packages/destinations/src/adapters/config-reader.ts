/**
 * Reads a destination's settings and credentials field by field, collecting every problem before
 * failing once (an operator fixes them all in one edit). Problems name the field and the rule,
 * never a credential's value.
 */
import { DestinationConfigError, type ConfigProblem } from './errors';
import type { DestinationConfigInput } from './types';

type Section = 'settings' | 'credentials';

interface StringRule {
  readonly pattern?: RegExp;
  /** How the expected shape reads in a problem ("digits", "G-XXXXXXX"...). */
  readonly hint?: string;
  readonly maxLength?: number;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export class ConfigReader {
  private readonly problems: ConfigProblem[] = [];
  private readonly sections: Record<Section, Record<string, unknown>>;

  constructor(
    private readonly adapter: string,
    input: unknown,
  ) {
    const root = asRecord(input) as Partial<DestinationConfigInput> | null;
    const settings = asRecord(root?.settings);
    const credentials = asRecord(root?.credentials);
    if (settings === null) this.problem('settings', 'must be an object');
    if (credentials === null) this.problem('credentials', 'must be an object');
    this.sections = { settings: settings ?? {}, credentials: credentials ?? {} };
  }

  /** Records a problem found by the adapter's own cross-field checks. */
  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** The raw value of a field, for shapes this reader has no method for. */
  raw(section: Section, key: string): unknown {
    return Object.hasOwn(this.sections[section], key) ? this.sections[section][key] : undefined;
  }

  private checkString(path: string, value: unknown, rule: StringRule): string | null {
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(path, `required${rule.hint === undefined ? '' : ` (${rule.hint})`}`);
      return null;
    }
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      this.problem(path, `is ${value.length} characters, at most ${rule.maxLength} allowed`);
      return null;
    }
    if (rule.pattern !== undefined && !rule.pattern.test(value)) {
      // Credentials are never echoed; settings are, so the operator sees what to fix.
      this.problem(path, path.startsWith('credentials.') ? `does not look like ${rule.hint ?? 'the expected value'}` : `${JSON.stringify(value)} is not ${rule.hint ?? 'valid'}`);
      return null;
    }
    return value;
  }

  /** A non-empty string (a problem when missing; '' is returned so parsing can go on). */
  requiredString(section: Section, key: string, rule: StringRule = {}): string {
    return this.checkString(`${section}.${key}`, this.raw(section, key), rule) ?? '';
  }

  /** A string, or null when absent (a problem when present but malformed). */
  optionalString(section: Section, key: string, rule: StringRule = {}): string | null {
    const value = this.raw(section, key);
    if (value === undefined || value === null) return null;
    return this.checkString(`${section}.${key}`, value, rule);
  }

  /** One of `values`; `fallback` when absent. */
  oneOf<T extends string>(section: Section, key: string, values: readonly T[], fallback: T): T {
    const value = this.raw(section, key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    this.problem(`${section}.${key}`, `${JSON.stringify(value)} is not one of ${values.join(', ')}`);
    return fallback;
  }

  /** An http(s) URL without a trailing slash; `fallback` when absent. */
  url(section: Section, key: string, fallback: string | null): string {
    const value = this.raw(section, key) ?? fallback;
    const path = `${section}.${key}`;
    if (typeof value !== 'string') {
      this.problem(path, 'required (an http or https URL)');
      return '';
    }
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('scheme');
    } catch {
      this.problem(path, `${JSON.stringify(value)} is not an http or https URL`);
      return '';
    }
    return value.replace(/\/+$/, '');
  }

  /** A flat object of strings to strings; empty when absent. */
  stringMap(section: Section, key: string): ReadonlyMap<string, string> {
    const value = this.raw(section, key);
    const map = new Map<string, string>();
    if (value === undefined || value === null) return map;
    const record = asRecord(value);
    if (record === null) {
      this.problem(`${section}.${key}`, 'must be an object of strings');
      return map;
    }
    for (const [from, to] of Object.entries(record)) {
      if (typeof to === 'string' && to !== '') map.set(from, to);
      else this.problem(`${section}.${key}.${from}`, 'must be a non-empty string');
    }
    return map;
  }

  /** An array of non-empty strings; empty when absent (a problem when `required`). */
  stringList(section: Section, key: string, required = false): readonly string[] {
    const value = this.raw(section, key);
    const path = `${section}.${key}`;
    if (value === undefined || value === null) {
      if (required) this.problem(path, 'required (a list of strings)');
      return [];
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
      this.problem(path, 'must be a list of non-empty strings');
      return [];
    }
    if (required && value.length === 0) this.problem(path, 'must not be empty');
    return value as string[];
  }

  /** A boolean; `fallback` when absent. */
  boolean(section: Section, key: string, fallback: boolean): boolean {
    const value = this.raw(section, key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.problem(`${section}.${key}`, 'must be true or false');
    return fallback;
  }

  /** Returns `config` frozen, or throws listing every problem found. */
  done<T extends object>(config: T): Readonly<T> {
    if (this.problems.length > 0) throw new DestinationConfigError(this.adapter, this.problems);
    return Object.freeze(config);
  }
}
