/**
 * The operations endpoints of a service, on their own port (METRICS_PORT):
 *   GET /metrics  Prometheus text format, from the service's registry
 *   GET /healthz  liveness: 200 while the process is alive and liveness() holds, else 503
 *   GET /readyz   readiness: 200 when every check is ok, else 503, within the timeout
 * Kubernetes restarts a pod on failed liveness and takes it out of service on failed readiness,
 * so liveness must not depend on Kafka or PostgreSQL (a broker outage would restart every pod);
 * readiness is where dependencies go.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger';
import { errorText, type ReadinessReport } from './readiness';
import { readinessProbe } from './readiness-probe';

export { DEFAULT_READINESS_TIMEOUT_MS } from './readiness-probe';

export interface HealthServerOptions {
  /** 0 = any free port (tests). */
  port: number;
  /** Interface to listen on; all interfaces by default, since probes and scrapes come from outside the pod. */
  host?: string;
  registry: Registry;
  /** Whether the process can still make progress (e.g. its event loop is not wedged). Default: always. */
  liveness?: () => boolean;
  readiness: () => Promise<ReadinessReport> | ReadinessReport;
  logger: Logger;
  /** Limit for one readiness() call. Default 2000 ms. */
  readinessTimeoutMs?: number;
}

export interface HealthServer {
  /** `http://host:port`, with a loopback host when listening on all interfaces. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets requests in flight finish, closes idle keep-alive connections. */
  stop(): Promise<void>;
}

const ALLOWED_METHODS = ['GET', 'HEAD'];
const ROUTES = ['/metrics', '/healthz', '/readyz'] as const;
/** After this, stop() cuts connections that are still busy. */
const STOP_GRACE_MS = 5000;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** Starts the server and resolves once it listens. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { registry, logger } = options;
  const liveness = options.liveness ?? (() => true);
  const probe = readinessProbe(options.readiness, logger, options.readinessTimeoutMs);

  async function readyz(res: ServerResponse): Promise<void> {
    const { ready, report } = await probe();
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks: report.checks });
  }

  function healthz(res: ServerResponse): void {
    let alive: boolean;
    let error: string | undefined;
    try {
      alive = liveness();
    } catch (err) {
      alive = false;
      error = errorText(err);
    }
    sendJson(res, alive ? 200 : 503, alive ? { status: 'ok' } : { status: 'unhealthy', ...(error === undefined ? {} : { error }) });
  }

  async function metrics(res: ServerResponse): Promise<void> {
    try {
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(text);
    } catch (err) {
      logger.error({ err }, 'collecting metrics failed');
      sendJson(res, 500, { code: 'metrics_failed', message: errorText(err) });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = ROUTES.find((r) => r === path);
    if (route === undefined) {
      sendJson(res, 404, { code: 'not_found', message: `${method} ${path}: no such endpoint (there are ${ROUTES.join(', ')})` });
      return;
    }
    if (!ALLOWED_METHODS.includes(method)) {
      sendJson(res, 405, { code: 'method_not_allowed', message: `${method} ${path}: use GET`, allow: ALLOWED_METHODS }, { allow: ALLOWED_METHODS.join(', ') });
      return;
    }
    if (route === '/metrics') await metrics(res);
    else if (route === '/healthz') healthz(res);
    else await readyz(res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'health server request failed');
      if (!res.headersSent) sendJson(res, 500, { code: 'internal_error', message: errorText(err) });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, ...(options.host === undefined ? {} : { host: options.host }) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err }, 'health server error'));

  const address = server.address() as AddressInfo;
  const url = `http://${urlHost(options.host)}:${address.port}`;
  logger.info({ url }, 'health server listening');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return stopping;
    },
  };
}

/** A host to put in a URL: loopback for "all interfaces", brackets for IPv6. */
function urlHost(host: string | undefined): string {
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
