/** Wiring: the Kafka-backed store, the routes and the HTTP server of one registry replica. */
import type { AddressInfo } from 'node:net';
import { registryError } from './errors';
import { createHttpServer } from './http/server';
import { registryRoutes } from './http/registry-routes';
import { Router } from './http/router';
import { subjectRoutes } from './http/subject-routes';
import { silentLogger, type RegistryLogger } from './logger';
import { SchemaStore } from './store/store';

export interface SchemaRegistryOptions {
  /** Kafka bootstrap servers, "host:port". */
  brokers: string[];
  /** HTTP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** The compacted topic holding every schema and config (default `_schemas`). */
  topic?: string;
  logger?: RegistryLogger;
  /** How long start-up may wait for Kafka before failing (default 30 s). */
  startTimeoutMs?: number;
  /** How long one write or one catch-up with the log may take before it answers 50001 (default 10 s). */
  requestTimeoutMs?: number;
  /** Largest request body accepted (default 1 MiB); larger is 413. */
  maxBodyBytes?: number;
}

export interface RunningSchemaRegistry {
  /** Base URL, e.g. http://127.0.0.1:8081 */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, lets the ones in flight finish, closes the Kafka clients. */
  stop(): Promise<void>;
}

/** Starts a registry replica: reads the schema topic to its end, then listens. */
export async function startSchemaRegistry(options: SchemaRegistryOptions): Promise<RunningSchemaRegistry> {
  if (options.brokers.length === 0) throw new Error('startSchemaRegistry: at least one Kafka broker is needed');
  const host = options.host ?? '127.0.0.1';
  const topic = options.topic ?? '_schemas';
  const logger = options.logger ?? silentLogger;
  const store = new SchemaStore({ brokers: options.brokers, topic, logger, timeoutMs: options.requestTimeoutMs ?? 10_000 });
  try {
    await store.start(Date.now() + (options.startTimeoutMs ?? 30_000));
  } catch (err) {
    await store.stop();
    throw err instanceof Error ? err : registryError('STORE_ERROR', String(err));
  }
  const router = new Router([...subjectRoutes(store), ...registryRoutes(store)]);
  const server = createHttpServer({ router, logger, maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024 });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await store.stop();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info('schema registry listening', { url, topic, brokers: options.brokers });
  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Requests in flight get a moment to finish (a write may be waiting on Kafka), then go.
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        await closed;
        clearTimeout(force);
        await store.stop();
      })()),
  };
}
