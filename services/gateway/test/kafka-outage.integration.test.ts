/**
 * Kafka goes down under HTTP traffic and comes back (the publisher's own outage test,
 * src/publish/broker-outage.integration.test.ts, covers the publisher alone; this is what an SDK
 * sees). The broker is one of this test's own, stopped and started again on the same port and
 * data directory; the stack's broker keeps the schema registry up.
 *
 * What must hold: while Kafka is down requests get 503 kafka_unavailable with Retry-After, and
 * never 200; a client that retries the same body after a 503 (as the SDKs do) gets 200 once Kafka
 * is back; every event answered 200 is on the topic exactly as sent. A 503'd attempt may also
 * have been written (at-least-once): its copy carries the same messageId, which dedup drops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger as silentBrokerLogger, startBroker, type RunningBroker } from '@stratum/broker';
import { createMetricsRegistry, silentLogger } from '@stratum/observability';
import type { RawEvent } from '@stratum/schemas';
import { inMemoryDirectory } from '@stratum/tenancy';
import { collectRecords, testKafkaClient, uniqueName, useTestStack, waitFor, type TestStack } from '@stratum/testing';
import { createGatewayApp, gatewayRequestListener } from '../src/app';
import { createKafkaPublisher, type KafkaPublisher } from '../src/publish';
import { createMemoryRateLimiter } from '../src/rate-limit';
import { startGatewayServer, type GatewayServer } from '../src/server';
import { ACME_KEY, DEFAULT_SOURCES, basicAuth } from './test-gateway';

jest.setTimeout(60_000);
const stack = useTestStack();
const PUBLISH_TIMEOUT_MS = 1_500;

let dataDir: string;
let broker: RunningBroker | null = null;
let publisher: KafkaPublisher | undefined;
let server: GatewayServer | undefined;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stratum-gateway-http-outage-'));
});
afterAll(async () => {
  await server?.stop();
  await publisher?.close();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const startOwnBroker = (port: number) => startBroker({ port, dataDir, flush: 'os', logger: silentBrokerLogger });

/** The test stack, but reading from this test's broker (the registry stays the stack's). */
function onBroker(bootstrap: string): TestStack {
  return { mode: stack.mode, brokers: [bootstrap], registryUrl: stack.registryUrl, kafka: testKafkaClient([bootstrap]), admin: stack.admin, registry: stack.registry, onStop: stack.onStop, stop: stack.stop };
}

interface Attempt {
  status: number;
  retryAfter: string | null;
  code: unknown;
}

/** One batch as an SDK sends it, with its own messageIds, retried on 503 as the SDKs do. */
function batchOf(n: number): { batch: Record<string, unknown>[] } {
  return {
    batch: [0, 1].map((i) => ({
      type: 'track',
      messageId: `outage-${n}-${i}`,
      userId: `user-${n}`,
      event: 'Checkout Step',
      properties: { step: i, n },
      timestamp: '2025-03-01T10:00:00.000Z',
    })),
  };
}

it('answers 503 with Retry-After while Kafka is down, 200 after it is back, and loses no 200', async () => {
  broker = await startOwnBroker(0);
  const { port, bootstrap } = broker;
  const topic = uniqueName('raw');
  const admin = testKafkaClient([bootstrap]).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  await admin.disconnect();

  publisher = createKafkaPublisher({
    kafka: { brokers: [bootstrap], clientId: uniqueName('gateway') },
    registryUrl: stack.registryUrl,
    topic,
    subject: 'events.raw-value',
    logger: silentLogger(),
    publishTimeoutMs: PUBLISH_TIMEOUT_MS,
  });
  await publisher.whenReady();
  const app = createGatewayApp({
    directory: inMemoryDirectory(DEFAULT_SOURCES),
    publisher,
    rateLimiter: createMemoryRateLimiter(),
    logger: silentLogger(),
    metrics: createMetricsRegistry({ service: 'gateway-test', version: 'test', processMetrics: false }),
    config: { maxBodyBytes: 512_000 },
  });
  server = await startGatewayServer(gatewayRequestListener(app), { port: 0, host: '127.0.0.1', logger: silentLogger(), shutdownTimeoutMs: 5_000 });
  const url = server.url;

  const attempts: Attempt[] = [];
  const accepted: Record<string, unknown>[] = [];
  /** Sends batch n until it gets 200 (or the test stops the client). */
  async function deliver(n: number): Promise<void> {
    const body = JSON.stringify(batchOf(n));
    for (;;) {
      const response = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { authorization: basicAuth(ACME_KEY), 'content-type': 'application/json' }, body });
      const answer = (await response.json()) as Record<string, unknown>;
      attempts.push({ status: response.status, retryAfter: response.headers.get('retry-after'), code: answer['code'] });
      if (response.status === 200) {
        accepted.push(...batchOf(n).batch);
        return;
      }
      expect(response.status).toBe(503);
      // Honour Retry-After in spirit, capped so the test stays short.
      await new Promise((resolve) => setTimeout(resolve, Math.min(Number(response.headers.get('retry-after')) * 1000, 200)));
    }
  }

  let n = 0;
  let running = true;
  const client = (async () => {
    while (running) {
      await deliver(n++);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  await waitFor(() => accepted.length >= 10, { what: 'batches accepted before the outage' });
  await broker.stop();
  broker = null;
  await waitFor(() => attempts.filter((a) => a.status === 503).length >= 3, { timeoutMs: 15_000, what: '503 answers during the outage' });

  broker = await startOwnBroker(port);
  const acceptedBeforeRecovery = accepted.length;
  await waitFor(() => accepted.length >= acceptedBeforeRecovery + 10, { timeoutMs: 30_000, what: 'batches accepted after Kafka is back' });
  running = false;
  await client;

  const refused = attempts.filter((a) => a.status !== 200);
  expect(refused.length).toBeGreaterThanOrEqual(3);
  expect(refused.every((a) => a.status === 503 && a.code === 'kafka_unavailable' && Number(a.retryAfter) >= 1)).toBe(true);

  // Every 200'd event, exactly as sent, on the topic; copies (503'd attempts that landed) only with the same content.
  const acceptedIds = new Set(accepted.map((e) => e['messageId'] as string));
  const records = await collectRecords(onBroker(bootstrap), {
    topic,
    schema: 'events.raw',
    until: (rs) => [...acceptedIds].every((id) => rs.some((r) => r.value?.messageId === id)),
    timeoutMs: 30_000,
  });
  const byId = new Map<string, RawEvent[]>();
  for (const r of records) byId.set(r.value!.messageId, [...(byId.get(r.value!.messageId) ?? []), r.value!]);
  for (const sent of accepted) {
    const copies = byId.get(sent['messageId'] as string) ?? [];
    expect(copies.length).toBeGreaterThanOrEqual(1);
    for (const copy of copies) {
      expect(copy).toMatchObject({
        tenantId: 'acme',
        sourceId: 'web',
        type: 'track',
        messageId: sent['messageId'],
        userId: sent['userId'],
        event: sent['event'],
        timestamp: sent['timestamp'],
        properties: JSON.stringify(sent['properties']),
      });
    }
  }
});
