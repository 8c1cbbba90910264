/**
 * The gateway's express app: the Segment tracking API, Twilio's webhooks, the operations
 * endpoints and the OpenAPI document on one port. Express is kept lean: no body-parser
 * (http/read-body.ts reads bodies), no ETag, no X-Powered-By, no query parsing, no per-request
 * middleware; every route is a handler made once here, and gatewayRequestListener sends the event
 * routes past express's router altogether. Creating the app does no I/O.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger, ReadinessCheck, Registry } from '@stratum/observability';
import type { TenancyDirectory } from '@stratum/tenancy';
import type { EventPublisher } from './publish/event-publisher';
import type { RateLimiter } from './rate-limit/rate-limiter';
import { EVENT_ROUTES } from './events/routes';
import { refusal } from './http/errors';
import { ingestHandler } from './http/ingest-handler';
import { opsHandlers } from './http/ops-routes';
import { requestIdFrom, REQUEST_ID_HEADER } from './http/request-id';
import { sendRefusal } from './http/respond';
import { TWILIO_WEBHOOK_PATH, twilioWebhookHandler, type TwilioWebhookOptions } from './http/twilio-webhook-handler';
import { createGatewayMetrics, type GatewayMetrics } from './metrics/gateway-metrics';
import { openApiDocument } from './openapi/document';

export interface GatewayAppConfig {
  /** GATEWAY_MAX_BODY_BYTES: the body cap for every source (a source's limits can only lower it). */
  readonly maxBodyBytes: number;
  /** The service version, for the OpenAPI document. */
  readonly version?: string;
}

export interface GatewayAppOptions {
  readonly directory: TenancyDirectory;
  readonly publisher: EventPublisher;
  readonly rateLimiter: RateLimiter;
  readonly logger: Logger;
  /** The service's registry (createMetricsRegistry); the gateway metrics are added to it. */
  readonly metrics: Registry;
  readonly config: GatewayAppConfig;
  /** More /readyz checks besides `publisher` (main.ts adds `postgres`). */
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** The clock stamped as receivedAt (epoch ms); Date.now by default. */
  readonly now?: () => number;
  /** True once shutdown began: answers then carry `Connection: close`. */
  readonly stopping?: () => boolean;
  /** PostgreSQL and keys for POST /v1/webhooks/twilio/{tenantId}; absent, the route answers 503 (main.ts always sets it). */
  readonly twilioWebhooks?: TwilioWebhookOptions;
}

/** Label of requests no route matched (never the raw path: that would be unbounded). */
const UNMATCHED = 'unmatched';

/** The app's routes: path (OpenAPI form) → methods, for 405 answers and the OpenAPI test. */
export function routeTable(): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const route of EVENT_ROUTES) table.set(route.path, ['POST']);
  table.set(TWILIO_WEBHOOK_PATH, ['POST']);
  for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) table.set(path, ['GET', 'HEAD']);
  return table;
}

/** `/v1/webhooks/twilio/{tenantId}` → `/v1/webhooks/twilio/:tenantId`, express's form. */
function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** The known path (OpenAPI form) a lower-cased request path is, matching `{param}` segments too. */
function knownPath(routes: ReadonlyMap<string, string[]>, path: string): string | undefined {
  if (routes.has(path)) return path;
  const segments = path.split('/');
  return [...routes.keys()].find((route) => {
    const parts = route.split('/');
    return parts.length === segments.length && parts.every((part, i) => part.startsWith('{') || part === segments[i]);
  });
}

function counted<Req extends IncomingMessage, Res extends ServerResponse>(route: string, metrics: GatewayMetrics, handler: (req: Req, res: Res) => Promise<void> | void) {
  return async (req: Req, res: Res) => {
    await handler(req, res);
    metrics.countRequest(route, res.statusCode);
  };
}

type EventHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The path of a request URL as the event routes are keyed: no query, lower case, no trailing slash. */
function routeKey(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  const path = (query === -1 ? raw : raw.slice(0, query)).toLowerCase();
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The event handlers of each app createGatewayApp made, for gatewayRequestListener. */
const eventHandlersOf = new WeakMap<Express, ReadonlyMap<string, EventHandler>>();

/**
 * The request listener to serve an app with: `http.createServer(gatewayRequestListener(app))`.
 *
 * Express's own dispatch costs about 60 µs of CPU per request (it re-prototypes req and res and
 * walks the router's layers), measured as more than all of the gateway's own work for one event.
 * So a POST to an event route goes straight to its handler; everything else (operations
 * endpoints, 404/405, the error handler) goes through express. The event routes stay registered
 * on the router too, so `app.listen` works, and a path the exact match misses (an escaped
 * character, say) still reaches the same handler.
 */
export function gatewayRequestListener(app: Express): RequestListener {
  const handlers = eventHandlersOf.get(app);
  if (handlers === undefined) throw new TypeError('gatewayRequestListener takes an app made by createGatewayApp');
  return (req, res) => {
    const handler = req.method === 'POST' ? handlers.get(routeKey(req.url)) : undefined;
    if (handler === undefined) app(req, res);
    else void handler(req, res);
  };
}

/** The express app; serve it with gatewayRequestListener(app) (or, slower, app.listen). */
export function createGatewayApp(options: GatewayAppOptions): Express {
  const { logger } = options;
  const metrics = createGatewayMetrics(options.metrics);
  const deps = {
    directory: options.directory,
    publisher: options.publisher,
    rateLimiter: options.rateLimiter,
    logger,
    metrics,
    maxBodyBytes: options.config.maxBodyBytes,
    now: options.now ?? Date.now,
    stopping: options.stopping ?? (() => false),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);

  const eventHandlers = new Map(EVENT_ROUTES.map((route) => [route.path, ingestHandler(route, deps)] as const));
  for (const [path, handler] of eventHandlers) app.post(path, handler);
  eventHandlersOf.set(app, eventHandlers);

  const ops = opsHandlers({
    registry: options.metrics,
    logger,
    checks: { publisher: () => options.publisher.isReady(), ...options.readiness },
    document: openApiDocument(options.config.version ?? '0.1.0'),
  });
  for (const [path, handler] of Object.entries(ops)) app.get(path, counted(path, metrics, handler));

  // Through express's router (not gatewayRequestListener's fast path): webhooks are few, and the route has a parameter.
  app.post(expressPath(TWILIO_WEBHOOK_PATH), counted(TWILIO_WEBHOOK_PATH, metrics, twilioWebhookHandler({ webhooks: options.twilioWebhooks, logger, metrics })));

  const routes = routeTable();
  app.use((req: Request, res: Response) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    // Express matches paths case-insensitively and with an optional trailing slash; so does this.
    const path = req.path.toLowerCase().replace(/(.)\/$/, '$1');
    const known = knownPath(routes, path);
    const allow = known === undefined ? undefined : routes.get(known);
    const status = allow
      ? sendRefusal(res, requestId, refusal('method_not_allowed', `${req.method} ${known}: use ${allow.join(' or ')}`, { allow }))
      : sendRefusal(res, requestId, refusal('not_found', `${req.method} ${req.path}: no such endpoint (see GET /openapi.json)`));
    metrics.countRequest(UNMATCHED, status);
  });

  // Only a bug gets here (handlers answer their own errors); the process stays up.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    logger.error({ err, requestId, path: req.path }, 'unhandled error in a route');
    const status = sendRefusal(res, requestId, refusal('internal_error', 'the request failed unexpectedly; nothing was accepted, retrying is safe'));
    metrics.countRequest(UNMATCHED, status);
  });

  return app;
}
