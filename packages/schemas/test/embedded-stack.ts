/** The real embedded stack for integration tests: a broker over TCP and the registry over HTTP on free ports. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, silentLogger, type RunningBroker } from '@stratum/broker';
import { startSchemaRegistry } from '@stratum/schema-registry';

export interface EmbeddedStack {
  broker: RunningBroker;
  registryUrl: string;
}

/** Starts a broker and a registry for the whole test file (beforeAll/afterAll); read fields inside tests. */
export function useEmbeddedStack(): EmbeddedStack {
  const stack = {} as EmbeddedStack;
  let dataDir: string;
  let stopRegistry: () => Promise<void>;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stratum-schemas-'));
    stack.broker = await startBroker({ port: 0, dataDir, flush: 'os', logger: silentLogger });
    const registry = await startSchemaRegistry({ brokers: [stack.broker.bootstrap], port: 0 });
    stack.registryUrl = registry.url;
    stopRegistry = () => registry.stop();
  });
  afterAll(async () => {
    await stopRegistry?.();
    await stack.broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return stack;
}
