/** `embedded` mode: the in-process broker and schema registry on free ports over a temp data dir. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, startBroker, type RunningBroker } from '@stratum/broker';
import { startSchemaRegistry, type RunningSchemaRegistry } from '@stratum/schema-registry';
import type { StackEndpoints } from './endpoints';

/** Starts the embedded broker (page-cache flush, silent) and a registry on it; `close` stops both and deletes the data. */
export async function startEmbeddedKafka(): Promise<StackEndpoints> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratum-test-kafka-'));
  let broker: RunningBroker | undefined;
  let registry: RunningSchemaRegistry | undefined;
  const close = async () => {
    await registry?.stop();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    broker = await startBroker({ port: 0, dataDir, flush: 'os', logger: silentLogger });
    registry = await startSchemaRegistry({ brokers: [broker.bootstrap], port: 0 });
  } catch (err) {
    await close();
    throw err;
  }
  return { brokers: [broker.bootstrap], registryUrl: registry.url, close };
}
