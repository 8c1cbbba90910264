/**
 * What an endpoint of the profile API is: its method and path (OpenAPI form, `{id}`), its OpenAPI
 * operation (the query parameters it takes are read from there, so the document and the parser
 * cannot disagree), and a handler that gets the authenticated tenant and answers a value — a
 * JSON answer or an ApiError. The app registers every route of PROFILE_ROUTES (routes/index.ts);
 * a new endpoint is one file and one line there.
 */
import type { IncomingMessage } from 'node:http';
import type { Db } from '@stratum/db';
import type { CredentialKeyring } from '@stratum/destinations';
import type { ApiError } from '../http/errors';
import type { OperationObject, ParameterObject } from '../openapi/types';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/** What a handler knows about its request. */
export interface RouteContext {
  /** The tenant of the admin key: the only tenant the handler may read or write. */
  readonly tenantId: string;
  /** Path parameters, decoded (`{id}` → params.id). */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters, only the ones the operation declares. */
  readonly query: ReadonlyMap<string, string>;
  readonly requestId: string;
  /** The raw request, for reading a body (http/read-json.ts). */
  readonly req: IncomingMessage;
}

/** What handlers are given by the app. */
export interface RouteDependencies {
  readonly db: Db;
  /** Epoch ms. */
  readonly now: () => number;
  /** Largest request body accepted, bytes. */
  readonly maxBodyBytes: number;
  /** Seals destination credentials; null when STRATUM_CREDENTIALS_KEYS is not set. */
  readonly keyring: CredentialKeyring | null;
}

/** A successful answer. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ProfileRoute {
  readonly method: HttpMethod;
  /** OpenAPI form, e.g. `/v1/profiles/{id}/events`. */
  readonly path: string;
  readonly operation: OperationObject;
  handle(ctx: RouteContext, deps: RouteDependencies): Promise<Answer | ApiError>;
}

/** The query parameter names an operation declares. */
export function queryParameters(operation: OperationObject): string[] {
  return (operation.parameters ?? []).filter((p): p is ParameterObject => 'in' in p && p.in === 'query').map((p) => p.name);
}

/** `/v1/profiles/{id}` → `/v1/profiles/:id`, express's form. */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

/** A matcher for the path as express matches it: any case, optional trailing slash, a parameter is one segment. */
export function pathMatcher(path: string): RegExp {
  const pattern = path
    .split(/\{[A-Za-z_][A-Za-z0-9_]*\}/)
    .map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${pattern}/?$`, 'i');
}
