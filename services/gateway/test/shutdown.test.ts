/**
 * Graceful stop of the HTTP server (what main.ts does on SIGTERM): new connections are refused,
 * a request in flight still gets its answer after its events are acknowledged, and stop()
 * resolves once it is done.
 */
import { createMetricsRegistry, silentLogger } from '@stratum/observability';
import type { RawEvent } from '@stratum/schemas';
import { inMemoryDirectory } from '@stratum/tenancy';
import { waitFor } from '@stratum/testing';
import { createGatewayApp, gatewayRequestListener } from '../src/app';
import type { EventPublisher } from '../src/publish';
import { createMemoryRateLimiter } from '../src/rate-limit';
import { startGatewayServer } from '../src/server';
import { ACME_KEY, DEFAULT_SOURCES, basicAuth, trackCall } from './test-gateway';

/** A publisher whose acknowledgements the test releases by hand. */
class HeldPublisher implements EventPublisher {
  readonly held: { events: readonly RawEvent[]; release: () => void }[] = [];
  publish(events: readonly RawEvent[]): Promise<void> {
    return new Promise((resolve) => this.held.push({ events, release: resolve }));
  }
  isReady() {
    return true;
  }
  async close() {}
}

it('finishes the request in flight, refuses new connections, then resolves', async () => {
  const publisher = new HeldPublisher();
  let stopping = false;
  const app = createGatewayApp({
    directory: inMemoryDirectory(DEFAULT_SOURCES),
    publisher,
    rateLimiter: createMemoryRateLimiter(),
    logger: silentLogger(),
    metrics: createMetricsRegistry({ service: 'gateway-test', version: 'test', processMetrics: false }),
    config: { maxBodyBytes: 512_000 },
    stopping: () => stopping,
  });
  const server = await startGatewayServer(gatewayRequestListener(app), { port: 0, host: '127.0.0.1', logger: silentLogger(), shutdownTimeoutMs: 10_000 });
  const send = () => fetch(`${server.url}/v1/track`, { method: 'POST', headers: { authorization: basicAuth(ACME_KEY) }, body: JSON.stringify(trackCall()) });

  const inFlight = send();
  await waitFor(() => publisher.held.length === 1, { what: 'the request to reach the publisher' });
  stopping = true;
  let stopped = false;
  const stop = server.stop().then(() => (stopped = true));

  await expect(send()).rejects.toThrow();
  expect(stopped).toBe(false);
  publisher.held[0]!.release();
  const response = await inFlight;
  expect(response.status).toBe(200);
  expect(response.headers.get('connection')).toBe('close');
  expect(await response.json()).toEqual({ success: true });
  await stop;
  expect(stopped).toBe(true);
});
