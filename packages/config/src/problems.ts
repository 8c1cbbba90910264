/**
 * Turns zod issues into the lines of a ConfigError: `NAME: "value" <predicate>` or
 * `NAME: required (<expected>)`. Messages are predicates on the value ("is not a port
 * (0-65535)") so the loader can put the value in front, or `value (hidden)` for secrets;
 * neither the helpers nor this error map ever put the input into a message themselves.
 */
import type { z } from 'zod';
import type { ConfigProblem } from './errors';
import { expectedOf, hideUrlPasswords, isSecret } from './schema-info';

/** Long values are cut so one bad variable cannot flood the log line. */
const MAX_SHOWN_CHARS = 60;

type RawIssue = z.core.$ZodRawIssue;

function sizeUnit(origin: string | undefined): string {
  if (origin === 'string') return ' characters';
  if (origin === 'array' || origin === 'set') return ' entries';
  return '';
}

/** zod's default English reads badly after a value; this phrases common issues as predicates. */
export function issueMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `is not ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'too_small':
      return `is too ${issue.origin === 'string' ? 'short' : 'small'} (at least ${String(issue.minimum)}${sizeUnit(issue.origin)})`;
    case 'too_big':
      return `is too ${issue.origin === 'string' ? 'long' : 'big'} (at most ${String(issue.maximum)}${sizeUnit(issue.origin)})`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined ? `does not match ${issue.pattern}` : `is not a valid ${issue.format}`;
    case 'invalid_value':
      return `is not one of ${issue.values.map(String).join(', ')}`;
    case 'not_multiple_of':
      return `is not a multiple of ${String(issue.divisor)}`;
    default:
      return `is invalid (${issue.code ?? 'custom'})`;
  }
}

function shown(raw: string): string {
  const visible = hideUrlPasswords(raw);
  const cut = visible.length > MAX_SHOWN_CHARS ? `${visible.slice(0, MAX_SHOWN_CHARS)}…` : visible;
  return JSON.stringify(cut);
}

/** Hides the value anywhere a hand-written message might have copied it. */
function scrub(message: string, raw: string): string {
  return raw.length === 0 ? message : message.split(raw).join('(hidden)');
}

/** The problems of one variable, one per distinct message. */
export function variableProblems(name: string, schema: z.core.$ZodType, raw: string | undefined, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  if (issues.length === 0) return [];
  if (raw === undefined) {
    const expected = expectedOf(schema);
    return [{ variable: name, message: expected === undefined ? 'required' : `required (${expected})` }];
  }
  const secret = isSecret(name, schema);
  const value = secret ? 'value (hidden)' : shown(raw);
  const messages = [...new Set(issues.map((i) => (secret ? scrub(i.message, raw) : i.message)))];
  return messages.map((message) => ({ variable: name, message: `${value} ${message}` }));
}
