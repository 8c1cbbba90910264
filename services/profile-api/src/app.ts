/**
 * The profile API's express app: the routes of PROFILE_ROUTES (each behind the admin key, see
 * http/route-handler.ts), the operations endpoints and the OpenAPI document on one port. Express
 * is kept lean as in the gateway: no body-parser (http/read-json.ts reads bodies), no ETag, no
 * X-Powered-By, no query parser (http/query.ts). Creating the app does no I/O.
 */
import type { Db } from '@stratum/db';
import type { CredentialKeyring } from '@stratum/destinations';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger, ReadinessCheck, Registry } from '@stratum/observability';
import type { AdminKeyDirectory } from '@stratum/tenancy';
import { apiError, invalid } from './http/errors';
import { OPS_PATHS, opsHandlers } from './http/ops-routes';
import { requestIdFrom, REQUEST_ID_HEADER } from './http/request-id';
import { sendError } from './http/respond';
import { routeHandler } from './http/route-handler';
import { createProfileApiMetrics, UNMATCHED_ROUTE, type ProfileApiMetrics } from './metrics';
import { openApiDocument } from './openapi/document';
import { PROFILE_ROUTES } from './routes';
import { expressPath, pathMatcher, type ProfileRoute } from './routes/route';

/** Bodies are consent lists (at most 100 entries) or destinations (settings of a few fields): 64 KiB is ample. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface ProfileApiAppOptions {
  readonly db: Db;
  readonly directory: AdminKeyDirectory;
  readonly logger: Logger;
  /** The service's registry (createMetricsRegistry); the API's metrics are added to it. */
  readonly metrics: Registry;
  /** /readyz checks; default: `postgres` (SELECT 1 on `db`). */
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** The service version, for the OpenAPI document. */
  readonly version?: string;
  readonly maxBodyBytes?: number;
  /** Seals destination credentials (STRATUM_CREDENTIALS_KEYS); null or absent: none can be stored. */
  readonly keyring?: CredentialKeyring | null;
  /** Epoch ms; Date.now by default. */
  readonly now?: () => number;
}

/** The app's routes as methods by path (OpenAPI form), for 405 answers and the OpenAPI test. */
export function routeTable(routes: readonly ProfileRoute[] = PROFILE_ROUTES): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const route of routes) table.set(route.path, [...(table.get(route.path) ?? []), route.method]);
  for (const path of OPS_PATHS) table.set(path, ['GET', 'HEAD']);
  return table;
}

function unmatched(routes: Map<string, string[]>, metrics: ProfileApiMetrics) {
  const matchers = [...routes].map(([path, methods]) => ({ path, methods, matcher: pathMatcher(path) }));
  return (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    const known = matchers.find((m) => m.matcher.test(req.path));
    const status = known
      ? sendError(res, requestId, apiError('method_not_allowed', `${req.method} ${known.path}: use ${known.methods.join(' or ')}`, { allow: known.methods }))
      : sendError(res, requestId, apiError('not_found', `${req.method} ${req.path.slice(0, 200)}: no such endpoint (see GET /openapi.json)`));
    metrics.observeRequest(UNMATCHED_ROUTE, req.method, status, Number(process.hrtime.bigint() - started) / 1e9);
  };
}

export function createProfileApiApp(options: ProfileApiAppOptions): Express {
  const { db, logger } = options;
  const metrics = createProfileApiMetrics(options.metrics);
  const deps = {
    db,
    directory: options.directory,
    logger,
    metrics,
    now: options.now ?? Date.now,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    keyring: options.keyring ?? null,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);

  for (const route of PROFILE_ROUTES) {
    const handler = routeHandler(route, deps);
    const path = expressPath(route.path);
    if (route.method === 'GET') app.get(path, handler);
    else if (route.method === 'PUT') app.put(path, handler);
    else if (route.method === 'POST') app.post(path, handler);
    else if (route.method === 'PATCH') app.patch(path, handler);
    else app.delete(path, handler);
  }

  const ops = opsHandlers({
    registry: options.metrics,
    logger,
    checks: options.readiness ?? { postgres: async () => void (await db.raw('select 1')) },
    document: openApiDocument(options.version ?? '0.1.0'),
  });
  for (const path of OPS_PATHS) {
    const handler = ops[path];
    app.get(path, async (req, res) => {
      const started = process.hrtime.bigint();
      await handler(req, res);
      metrics.observeRequest(path, 'GET', res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
  }

  app.use(unmatched(routeTable(), metrics));

  // Handlers answer their own errors: only express's own refusal of a path it cannot decode
  // (`/v1/profiles/%E0`, a URIError) and bugs get here; the process stays up.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    if (err instanceof URIError) {
      const status = sendError(res, requestId, invalid('invalid_parameter', 'path', 'is not valid percent-encoding'));
      metrics.observeRequest(UNMATCHED_ROUTE, req.method, status, 0);
      return;
    }
    logger.error({ err, requestId, path: req.path }, 'unhandled error in a route');
    const status = sendError(res, requestId, apiError('internal_error', 'the request failed unexpectedly; retrying is safe'));
    metrics.observeRequest(UNMATCHED_ROUTE, req.method, status, 0);
  });

  return app;
}
