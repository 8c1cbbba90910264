/**
 * One express handler per route (routes/route.ts), doing what every endpoint needs in the same
 * order: request id → admin key → query parameters → the route's handler → the answer, counted
 * and timed by route. A handler answers values; what it throws is a failure of the code or of
 * PostgreSQL: 503 `database_unavailable` when the database is unreachable (retry), else 500.
 */
import type { Request, Response } from 'express';
import { isConnectionError } from '@stratum/db';
import { isRetriable } from '@stratum/errors';
import type { Logger } from '@stratum/observability';
import type { AdminKeyDirectory } from '@stratum/tenancy';
import type { ProfileApiMetrics } from '../metrics';
import { queryParameters, type Answer, type ProfileRoute, type RouteDependencies } from '../routes/route';
import { authenticate, RETRY_AFTER_SECONDS } from './auth';
import { apiError, ApiError, statusOf } from './errors';
import { parseQuery } from './query';
import { requestIdFrom, REQUEST_ID_HEADER } from './request-id';
import { sendError, sendJson } from './respond';

export interface HandlerDependencies extends RouteDependencies {
  readonly directory: AdminKeyDirectory;
  readonly logger: Logger;
  readonly metrics: ProfileApiMetrics;
  /** Logs outage lines (503) at most this often. */
  readonly outageLogIntervalMs?: number;
}

/** What a thrown value means for the client. */
export function failureOf(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isConnectionError(err) || isRetriable(err)) {
    return apiError('database_unavailable', `PostgreSQL is unavailable; retry in ${RETRY_AFTER_SECONDS} s`, { retryAfterSeconds: RETRY_AFTER_SECONDS }, err);
  }
  return apiError('internal_error', 'the request failed unexpectedly; retrying is safe', {}, err);
}

export function routeHandler(route: ProfileRoute, deps: HandlerDependencies): (req: Request, res: Response) => Promise<void> {
  const allowed = queryParameters(route.operation);
  const outageEvery = deps.outageLogIntervalMs ?? 10_000;
  let lastOutageLog = -Infinity;

  const log = (requestId: string, tenantId: string | null, error: ApiError) => {
    const status = statusOf(error.code);
    const bindings = { requestId, tenantId, route: route.path, code: error.code };
    if (status === 500) deps.logger.error({ ...bindings, err: error.cause }, error.message);
    else if (status === 503) {
      const now = Date.now();
      if (now - lastOutageLog < outageEvery) return;
      lastOutageLog = now;
      deps.logger.warn({ ...bindings, err: error.cause }, error.message);
    } else if (deps.logger.isLevelEnabled('debug')) deps.logger.debug(bindings, error.message);
  };

  /** The route's answer, or the refusal that comes first (no key, a bad parameter). */
  const answer = async (req: Request, requestId: string, onTenant: (tenantId: string) => void): Promise<Answer | ApiError> => {
    const tenant = await authenticate(deps.directory, req.headers.authorization);
    if (tenant instanceof ApiError) return tenant;
    onTenant(tenant.tenantId);
    const query = parseQuery(req.url, allowed);
    if (query instanceof ApiError) return query;
    return route.handle({ tenantId: tenant.tenantId, params: req.params as Record<string, string>, query, requestId, req }, deps);
  };

  return async (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    let tenantId: string | null = null;
    const result = await answer(req, requestId, (id) => (tenantId = id)).catch(failureOf);
    if (result instanceof ApiError) {
      log(requestId, tenantId, result);
      sendError(res, requestId, result);
    } else {
      sendJson(res, result.status, result.body, { ...result.headers, [REQUEST_ID_HEADER]: requestId });
    }
    deps.metrics.observeRequest(route.path, route.method, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
  };
}
