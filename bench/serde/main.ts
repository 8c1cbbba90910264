/**
 * `pnpm bench serde`: encode/decode rates of a typical ~600-byte event with Stratum's serde
 * (Avro, Confluent-framed, free-form JSON as text) against JSON.stringify/JSON.parse, in the same
 * run; the record size of each; the recursive-Avro alternative for free-form JSON that we
 * decided against; and the embedded registry's GET /schemas/ids/{id} rate.
 * Rates are medians of 3 interleaved rounds, so the machine's noise hits every variant alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { startBroker, silentLogger } from '@stratum/broker';
import { startSchemaRegistry } from '@stratum/schema-registry';
import { confluentRegistryClient, createSerde, latestSchemas, type RawEvent } from '@stratum/schemas';
import { typicalEvent, type TypicalEvent } from './typical-event';
import { fromJsonValue, toJsonValue, withRecursiveFreeForm } from './json-value';
import { measureIdLookups } from '../registry/lookups';

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500);

async function rate(op: () => unknown): Promise<number> {
  for (let i = 0; i < 2000; i++) await op(); // warm-up: let V8 optimise before the clock starts
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ROUND_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 500; i++) await op();
    n += 500;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dataDir = mkdtempSync(join(tmpdir(), 'stratum-bench-serde-'));
const broker = await startBroker({ port: 0, dataDir, flush: 'os', logger: silentLogger });
const registry = await startSchemaRegistry({ brokers: [broker.bootstrap], port: 0 });
try {
  const serde = await createSerde(confluentRegistryClient(registry.url), 'events.raw');

  // What a producer holds (objects) → the wire record (free-form JSON as text) and back. Absent
  // nullable fields stay undefined: avsc writes their default (null), as it would for a producer.
  const toRecord = (e: TypicalEvent) => ({ ...e, properties: JSON.stringify(e.properties), context: JSON.stringify(e.context) }) as unknown as RawEvent;
  const fromRecord = (r: RawEvent) => ({ ...r, properties: JSON.parse(r.properties!) as unknown, context: JSON.parse(r.context!) as unknown });
  const recursive = avro.Type.forSchema(withRecursiveFreeForm(latestSchemas['events.raw'].schema));
  const toRecursive = (e: TypicalEvent) => ({ ...e, properties: toJsonValue(e.properties), context: toJsonValue(e.context) });

  const record = toRecord(typicalEvent);
  const json = JSON.stringify(typicalEvent);
  const framed = serde.encode(record);
  const recursiveBytes = recursive.toBuffer(toRecursive(typicalEvent));

  const variants: Record<string, () => unknown> = {
    'JSON.stringify': () => JSON.stringify(typicalEvent),
    'JSON.parse': () => JSON.parse(json),
    'avro encode (envelope, free-form already text)': () => serde.encode(record),
    'avro decode (envelope, free-form stays text)': () => serde.decode(framed),
    'avro encode + JSON.stringify free-form': () => serde.encode(toRecord(typicalEvent)),
    'avro decode + JSON.parse free-form': async () => fromRecord(await serde.decode(framed)),
    'recursive-avro encode (rejected design)': () => recursive.toBuffer(toRecursive(typicalEvent)),
    'recursive-avro decode (rejected design)': () => {
      const r = recursive.fromBuffer(recursiveBytes) as { properties: Parameters<typeof fromJsonValue>[0]; context: Parameters<typeof fromJsonValue>[0] };
      return [fromJsonValue(r.properties), fromJsonValue(r.context)];
    },
  };
  const rounds: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let round = 0; round < 3; round++) {
    for (const [name, op] of Object.entries(variants)) rounds[name]!.push(await rate(op));
  }

  process.stdout.write(`\nrecord size: JSON ${Buffer.byteLength(json)} B, Avro framed ${framed.length} B (${((100 * framed.length) / Buffer.byteLength(json)).toFixed(0)}% of JSON), recursive Avro ${recursiveBytes.length + 5} B framed\n\n`);
  const baseline = { encode: median(rounds['JSON.stringify']!), decode: median(rounds['JSON.parse']!) };
  process.stdout.write('| operation | ops/s | vs JSON |\n|---|---|---|\n');
  for (const [name, xs] of Object.entries(rounds)) {
    const base = /decode|parse/.test(name) ? baseline.decode : baseline.encode;
    process.stdout.write(`| ${name} | ${Math.round(median(xs)).toLocaleString('en-US')} | ${(median(xs) / base).toFixed(2)}× |\n`);
  }

  const lookups = await measureIdLookups(registry.url, serde.schemaId);
  process.stdout.write(`\nregistry GET /schemas/ids/${serde.schemaId}: ${Math.round(lookups.perSecond).toLocaleString('en-US')} req/s, p50 ${lookups.p50Ms.toFixed(2)} ms, p99 ${lookups.p99Ms.toFixed(2)} ms (${lookups.concurrency} concurrent, keep-alive)\n`);
} finally {
  await registry.stop();
  await broker.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
