/**
 * The gateway app on a real HTTP port for the HTTP-layer tests: the in-memory tenancy directory,
 * the real in-process rate limiter, and a publisher test double that records what it was given
 * (Kafka itself is exercised by the *.integration tests).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricsRegistry, silentLogger, type Logger, type Registry } from '@stratum/observability';
import type { RawEvent } from '@stratum/schemas';
import { inMemoryDirectory, sourceSettings, type InMemorySource, type SourceLimits, type TenancyDirectory } from '@stratum/tenancy';
import { createGatewayApp, gatewayRequestListener } from '../src/app';
import type { EventPublisher } from '../src/publish';
import { createMemoryRateLimiter } from '../src/rate-limit';
import type { RateLimiter } from '../src/rate-limit';

export const ACME_KEY = 'wk_test_acme_0123456789abcdefghij';
export const TIGHT_KEY = 'wk_test_tight_0123456789abcdefghi';
export const DISABLED_KEY = 'wk_test_disabled_0123456789abcdef';
export const SLOW_KEY = 'wk_test_slow_0123456789abcdefghijk';

/** Limits of the "tight" source: small enough to hit in a test, as low as a source may go. */
export const TIGHT_LIMITS: SourceLimits = { maxEventBytes: 1024, maxBatchBytes: 4096, maxBatchEvents: 3, rateLimitPerSecond: 0, rateLimitBurst: 0 };
/** Limits of the "slow" source: 1 event per second, bursts of 5. */
export const SLOW_LIMITS: SourceLimits = { maxEventBytes: 32_768, maxBatchBytes: 512_000, maxBatchEvents: 100, rateLimitPerSecond: 1, rateLimitBurst: 5 };

export const DEFAULT_SOURCES: InMemorySource[] = [
  { settings: sourceSettings({ tenantId: 'acme', sourceId: 'web' }), writeKeys: [ACME_KEY] },
  { settings: sourceSettings({ tenantId: 'tight', sourceId: 'tight-src', limits: TIGHT_LIMITS }), writeKeys: [TIGHT_KEY] },
  { settings: sourceSettings({ tenantId: 'slow', sourceId: 'slow-src', limits: SLOW_LIMITS }), writeKeys: [SLOW_KEY] },
  { settings: sourceSettings({ tenantId: 'gone', sourceId: 'off', enabled: false }), writeKeys: [DISABLED_KEY] },
];

/** A publisher double: records every publish, or fails/hangs as the test says. */
export class RecordingPublisher implements EventPublisher {
  readonly calls: RawEvent[][] = [];
  /** When set, publish rejects with it (after recording nothing). */
  failWith: unknown = undefined;
  ready = true;

  async publish(events: readonly RawEvent[]): Promise<void> {
    if (this.failWith !== undefined) throw this.failWith;
    this.calls.push([...events]);
  }

  isReady(): boolean {
    return this.ready;
  }

  async close(): Promise<void> {}

  /** Every event published, in order. */
  get events(): RawEvent[] {
    return this.calls.flat();
  }
}

export interface TestGatewayOptions {
  sources?: InMemorySource[];
  directory?: TenancyDirectory;
  rateLimiter?: RateLimiter;
  maxBodyBytes?: number;
  now?: () => number;
  logger?: Logger;
  publisher?: EventPublisher;
}

export interface TestGateway {
  readonly url: string;
  readonly publisher: RecordingPublisher;
  readonly registry: Registry;
  close(): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const publisher = new RecordingPublisher();
  const registry = createMetricsRegistry({ service: 'gateway-test', version: 'test', processMetrics: false });
  const rateLimiter = options.rateLimiter ?? createMemoryRateLimiter();
  const app = createGatewayApp({
    directory: options.directory ?? inMemoryDirectory(options.sources ?? DEFAULT_SOURCES),
    publisher: options.publisher ?? publisher,
    rateLimiter,
    logger: options.logger ?? silentLogger(),
    metrics: registry,
    config: { maxBodyBytes: options.maxBodyBytes ?? 512_000 },
    ...(options.now ? { now: options.now } : {}),
  });
  // Served as main.ts serves it: event routes dispatched before express.
  const server: Server = createServer(gatewayRequestListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    publisher,
    registry,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rateLimiter.close();
    },
  };
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

export interface PostOptions {
  writeKey?: string | null;
  headers?: Record<string, string>;
}

/** POSTs `body` (an object is sent as JSON; a Buffer/string as is) and reads the JSON answer. */
export async function post(gateway: TestGateway, path: string, body: unknown, options: PostOptions = {}): Promise<Answer> {
  const writeKey = options.writeKey === undefined ? ACME_KEY : options.writeKey;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(writeKey === null ? {} : { authorization: basicAuth(writeKey) }), ...options.headers };
  const payload = Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** A minimal valid track call. */
export function trackCall(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { userId: 'u-1', event: 'Order Completed', properties: { total: 42 }, ...overrides };
}
