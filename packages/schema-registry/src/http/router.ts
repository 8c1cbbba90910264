/**
 * A small route table: `GET /subjects/:subject/versions/:version` style patterns, matched per
 * path segment. Segments are percent-decoded after splitting, so a subject may contain "/" (as
 * %2F), as it may in Confluent.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteContext {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body (POST and PUT routes only), else undefined. */
  body: unknown;
}

/** What a handler answers: a JSON value, or `raw` text already in JSON (a stored schema). */
export type Reply = { json: unknown } | { raw: string };

export interface Route {
  method: HttpMethod;
  pattern: string;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

/** Shorthand for a route definition. */
export function route(method: HttpMethod, pattern: string, handle: Route['handle']): Route {
  return { method, pattern, handle };
}

export type Match = { kind: 'found'; route: Route; params: Record<string, string> } | { kind: 'method-not-allowed'; allowed: HttpMethod[] } | { kind: 'not-found' };

interface Compiled {
  route: Route;
  segments: string[];
}

function split(path: string): string[] | null {
  const parts = path.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  try {
    return parts.map((p) => decodeURIComponent(p));
  } catch {
    return null; // malformed percent-encoding matches nothing
  }
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({ route, segments: route.pattern.split('/').filter(Boolean) }));
  }

  /** Finds the route for a method and a raw (still percent-encoded) path. */
  match(method: string, rawPath: string): Match {
    const segments = split(rawPath);
    if (!segments) return { kind: 'not-found' };
    const allowed: HttpMethod[] = [];
    for (const { route, segments: pattern } of this.compiled) {
      const params = matchSegments(pattern, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segments[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p !== s) return null;
  }
  return params;
}
