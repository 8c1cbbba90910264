/**
 * `pnpm bench registry`: GET /schemas/ids/{id} requests/s of the embedded schema registry — the
 * call every consumer makes for each schema id it has not cached. Starts a broker and a registry
 * in this process, registers one schema, then 32 keep-alive clients (also in this process, so
 * client and server share one event loop) fire requests for BENCH_DURATION_MS (default 5 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, silentLogger } from '@stratum/broker';
import { startSchemaRegistry } from '@stratum/schema-registry';
import { measureIdLookups } from './lookups';

const dataDir = mkdtempSync(join(tmpdir(), 'stratum-bench-registry-'));
const broker = await startBroker({ port: 0, dataDir, flush: 'os', logger: silentLogger });
const registry = await startSchemaRegistry({ brokers: [broker.bootstrap], port: 0 });
try {
  const schema = JSON.stringify({ type: 'record', name: 'BenchEvent', namespace: 'stratum.bench', fields: [{ name: 'id', type: 'string' }, { name: 'at', type: 'long' }] });
  const res = await fetch(`${registry.url}/subjects/bench-value/versions`, { method: 'POST', headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ schema }) });
  const { id } = (await res.json()) as { id: number };
  const r = await measureIdLookups(registry.url, id);
  process.stdout.write(
    `registry GET /schemas/ids/${id}: ${Math.round(r.perSecond).toLocaleString('en-US')} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms ` +
      `(${r.requests.toLocaleString('en-US')} requests, ${r.concurrency} concurrent keep-alive clients, same process)\n`,
  );
} finally {
  await registry.stop();
  await broker.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
