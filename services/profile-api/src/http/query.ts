/**
 * Query strings, read by hand (express's query parser is off): each parameter at most once, only
 * the ones the endpoint declares, percent-decoded per RFC 3986. A `+` stays a plus — form encoding
 * would turn it into a space, and `?identifier=phone:+14155550100` or an email with a `+tag`
 * must arrive as written. (`%2B` works too.)
 */
import { invalid, type ApiError } from './errors';

/** The parameters of `url`'s query, or the refusal naming the first bad one. */
export function parseQuery(url: string | undefined, allowed: readonly string[]): ReadonlyMap<string, string> | ApiError {
  const params = new Map<string, string>();
  const at = url?.indexOf('?') ?? -1;
  if (url === undefined || at === -1) return params;
  for (const part of url.slice(at + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName);
      value = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      return invalid('invalid_parameter', rawName.slice(0, 64), 'is not valid percent-encoding');
    }
    if (!allowed.includes(name)) {
      const takes = allowed.length === 0 ? 'this endpoint takes no query parameters' : `this endpoint takes ${allowed.join(', ')}`;
      return invalid('invalid_parameter', name.slice(0, 64), `is not a parameter of this endpoint (${takes})`);
    }
    if (params.has(name)) return invalid('invalid_parameter', name, 'is given more than once');
    params.set(name, value);
  }
  return params;
}
