/**
 * SMS body templates: plain text with `{{path}}` placeholders, nothing else.
 *
 *   "Hi {{traits.first_name}}, order {{properties.order_id}} is on its way."
 *
 * Paths start at `traits` (the profile's golden-record traits, the event's own traits on top),
 * `properties`, or `event` (the event name). Deliberately minimal and safe: one pass, so a value
 * containing "{{...}}" is printed, never expanded; no expressions, no code; only own properties
 * (no `__proto__`/`constructor` walks); objects and arrays render as nothing. `{{{{` writes a
 * literal "{{".
 */
import { pathValue, type JsonObject } from '../event-fields';

export interface TemplateScope {
  readonly traits: JsonObject;
  readonly properties: JsonObject;
  readonly event: string | null;
}

const PLACEHOLDER = /\{\{\{\{|\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;
const ROOTS = new Set(['traits', 'properties', 'event']);

/** The placeholders of a template whose root is unknown (a config problem, found before any event). */
export function unknownPlaceholders(template: string): string[] {
  const unknown: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const path = m[1];
    if (path !== undefined && !ROOTS.has(path.split('.')[0]!)) unknown.push(path);
  }
  return unknown;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return '';
}

/** The template with each placeholder replaced by its value's text ('' when absent or not a scalar). */
export function renderTemplate(template: string, scope: TemplateScope): string {
  return template.replace(PLACEHOLDER, (_match: string, path: string | undefined) => {
    if (path === undefined) return '{{';
    const [root, ...rest] = path.split('.');
    if (root === 'event') return rest.length === 0 ? (scope.event ?? '') : '';
    if (root === 'traits' || root === 'properties') return rest.length === 0 ? '' : text(pathValue(scope[root], rest.join('.')));
    return '';
  });
}
