/**
 * Test harness: a real broker (@stratum/broker over TCP, temp data dir, page-cache flush), real
 * registry replicas on free ports, plain HTTP calls, and unique names per test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startBroker, silentLogger, type RunningBroker } from '@stratum/broker';
import { startSchemaRegistry, type RunningSchemaRegistry, type SchemaRegistryOptions } from '../src';

/** A unique subject/topic name for one test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export interface TestBroker {
  readonly bootstrap: string;
  broker: RunningBroker;
  /** Stops the broker (its data stays). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data after `stop()`. */
  start(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A broker on a free port over a fresh temp dir. */
export async function startTestBroker(): Promise<TestBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratum-registry-'));
  const opts = { port: 0, dataDir, flush: 'os' as const, logger: silentLogger, housekeepingIntervalMs: 200 };
  let running = true;
  const t: TestBroker = {
    broker: await startBroker(opts),
    get bootstrap() {
      return t.broker.bootstrap;
    },
    async stop() {
      running = false;
      await t.broker.stop();
    },
    async start() {
      t.broker = await startBroker({ ...opts, port: t.broker.port });
      running = true;
    },
    async restart() {
      await t.stop();
      await t.start();
    },
    async close() {
      if (!running) return rmSync(dataDir, { recursive: true, force: true });
      await t.broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** A registry replica on a free port. */
export function startRegistry(bootstrap: string, options: Partial<SchemaRegistryOptions> = {}): Promise<RunningSchemaRegistry> {
  return startSchemaRegistry({ brokers: [bootstrap], port: 0, requestTimeoutMs: 5_000, ...options });
}

export interface Stack {
  broker: TestBroker;
  registry: RunningSchemaRegistry;
}

/** One broker and one registry (own topic) for a test file; read the fields inside tests. */
export function useStack(): Stack {
  const stack = {} as Stack;
  beforeAll(async () => {
    stack.broker = await startTestBroker();
    stack.registry = await startRegistry(stack.broker.bootstrap, { topic: uniqueName('_schemas') });
  });
  afterAll(async () => {
    await stack.registry?.stop();
    await stack.broker?.close();
  });
  return stack;
}

export interface HttpResult {
  status: number;
  contentType: string | null;
  text: string;
  /** The parsed body (undefined if it is not JSON). */
  body: unknown;
}

/** One HTTP call; `body` objects are sent as JSON with the registry's content type. */
export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  const init: RequestInit = { method, headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json', ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type'), text, body: parsed };
}

/** An Avro record schema as the JSON string clients send. */
export function recordSchema(name: string, fields: { name: string; type: unknown; default?: unknown }[]): string {
  return JSON.stringify({ type: 'record', name, namespace: 'stratum.test', fields });
}

/** Polls until `check` holds or `ms` pass. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Everything a replica serves (deleted entries included), for comparing replicas. */
export async function dump(base: string): Promise<unknown> {
  const get = async (path: string) => (await call(base, 'GET', path)).body;
  const subjects = (await get('/subjects?deleted=true')) as string[];
  const out: Record<string, unknown> = { config: await get('/config') };
  for (const subject of subjects) {
    const s = encodeURIComponent(subject);
    const versions = (await get(`/subjects/${s}/versions?deleted=true`)) as number[];
    out[subject] = {
      config: await get(`/config/${s}`),
      live: await get(`/subjects/${s}/versions`),
      versions: await Promise.all(versions.map((v) => get(`/subjects/${s}/versions/${v}?deleted=true`))),
    };
  }
  return out;
}
