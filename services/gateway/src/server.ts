/**
 * The gateway's HTTP server and its graceful stop: stop accepting connections, let requests in
 * flight finish (their answers say `Connection: close`), close idle keep-alive connections, and
 * cut whatever is still open after the deadline. Nothing answered 200 depends on the stop: a
 * request cut at the deadline got no answer, and its client retries it.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@stratum/observability';

export interface GatewayServerOptions {
  port: number;
  host: string;
  logger: Logger;
  /** How long stop() waits for requests in flight before cutting their connections. */
  shutdownTimeoutMs: number;
}

export interface GatewayServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Resolves once every connection is closed. Idempotent. */
  stop(): Promise<void>;
}

/** Keep-alive longer than the usual load balancer idle timeout (60 s), so the balancer closes first. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startGatewayServer(handler: RequestListener, options: GatewayServerOptions): Promise<GatewayServer> {
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, handler);
  // A body trickling in forever must not pin a connection: the whole request within 60 s.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => options.logger.error({ err }, 'gateway server error'));
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
