/**
 * The HTTP server and its graceful stop: stop accepting connections, close idle keep-alive
 * connections, let requests in flight finish, and cut whatever is still open after the deadline
 * (those clients got no answer; every write is one transaction, so nothing half-done remains).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@stratum/observability';

export interface ServerOptions {
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  /** How long stop() waits for requests in flight before cutting their connections. */
  readonly shutdownTimeoutMs: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Resolves once every connection is closed. Idempotent. */
  stop(): Promise<void>;
}

/** Keep-alive longer than the usual load balancer idle timeout (60 s), so the balancer closes first. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startServer(handler: RequestListener, options: ServerOptions): Promise<RunningServer> {
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, handler);
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => options.logger.error({ err }, 'profile API server error'));
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          options.logger.warn({ timeoutMs: options.shutdownTimeoutMs }, 'requests still in flight at the shutdown deadline; closing their connections');
          server.closeAllConnections();
        }, options.shutdownTimeoutMs);
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
