/**
 * Test harness for broker integration tests: a real broker on a free port over a temp data dir,
 * kafkajs clients pointed at it, and unique names so tests never share topics or groups.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type RetryOptions } from 'kafkajs';
import { startBroker, silentLogger, type RunningBroker, type StartBrokerOptions } from '../src';

/** A unique, legal topic/group/transactional id for one test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A fresh temporary data directory; remove it with `removeDir`. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'stratum-broker-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface TestBroker {
  broker: RunningBroker;
  dataDir: string;
  kafka: Kafka;
  /** Stops the broker and starts a new one on the same port and data dir. */
  restart(): Promise<void>;
  /** Stops the broker and deletes its data. */
  close(): Promise<void>;
}

/** Starts a broker (page-cache flush by default: tests kill processes, not the OS). */
export async function startTestBroker(options: Partial<StartBrokerOptions> = {}): Promise<TestBroker> {
  const dataDir = options.dataDir ?? tempDataDir();
  const opts: StartBrokerOptions = { port: 0, flush: 'os', logger: silentLogger, housekeepingIntervalMs: 200, ...options, dataDir };
  let broker = await startBroker(opts);
  const t: TestBroker = {
    broker,
    dataDir,
    kafka: kafkaFor(broker.bootstrap),
    async restart() {
      await t.broker.stop();
      broker = await startBroker({ ...opts, port: t.broker.port });
      t.broker = broker;
    },
    async close() {
      await t.broker.stop();
      removeDir(dataDir);
    },
  };
  return t;
}

/** A kafkajs client with quiet logs and fast retries (more of them to ride out a broker restart). */
export function kafkaFor(bootstrap: string, clientId = 'test', retry: RetryOptions = { retries: 5, initialRetryTime: 50 }): Kafka {
  return new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING, retry });
}

/** Polls `check` until it returns true or `ms` pass. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface SharedBroker {
  tb: TestBroker;
  admin: Admin;
}

/**
 * One broker and a connected admin client for a whole test file (registers beforeAll/afterAll).
 * Read `tb`/`admin` inside tests: they are set once the suite starts.
 */
export function useSharedBroker(options: Partial<StartBrokerOptions> = {}): SharedBroker {
  const shared = {} as SharedBroker;
  beforeAll(async () => {
    shared.tb = await startTestBroker(options);
    shared.admin = shared.tb.kafka.admin();
    await shared.admin.connect();
  });
  afterAll(async () => {
    await shared.admin.disconnect();
    await shared.tb.close();
  });
  return shared;
}
