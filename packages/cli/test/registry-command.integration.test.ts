/** `stratum registry` as users run it: one line when listening, serves the Confluent client, clean exit on SIGTERM, clear errors. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { startBroker, silentLogger, type RunningBroker } from '@stratum/broker';
import { startCli as run, until } from './cli-process';

let dataDir: string;
let broker: RunningBroker;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stratum-cli-registry-'));
  broker = await startBroker({ port: 0, dataDir, flush: 'os', logger: silentLogger });
});
afterAll(async () => {
  await broker.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('prints one line when listening, serves the Confluent client, and stops cleanly on SIGTERM', async () => {
  const topic = `_schemas-cli-${process.pid}`;
  const p = run(['registry', '--port', '0', '--brokers', broker.bootstrap, '--topic', topic, '--log-level', 'error']);
  try {
    await until(() => /listening/.test(p.out()), 20_000);
    const lines = p.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const match = /^stratum registry listening on (http:\/\/127\.0\.0\.1:\d+) \(brokers (\S+), topic (\S+)\)$/.exec(lines[0]!);
    expect(match?.slice(2)).toEqual([broker.bootstrap, topic]);
    const url = match![1]!;

    const registry = new SchemaRegistry({ host: url });
    const schema = JSON.stringify({ type: 'record', name: 'CliCheck', fields: [{ name: 'id', type: 'string' }] });
    const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: 'cli-check-value' });
    expect(await registry.decode(await registry.encode(id, { id: 'x' }))).toEqual({ id: 'x' });
    const res = await fetch(`${url}/subjects`);
    expect(await res.json()).toEqual(['cli-check-value']);
  } finally {
    p.child.kill('SIGTERM');
  }
  expect(await p.exit).toBe(0);
  expect(p.err()).toContain('stopped cleanly on SIGTERM');
});

it('rejects a bad flag value with a clear message and a non-zero exit', async () => {
  const p = run(['registry', '--brokers', 'no-port-here']);
  expect(await p.exit).not.toBe(0);
  expect(p.err()).toMatch(/--brokers <list>.* expected host:port\[,host:port\.\.\.\], got "no-port-here"/);
});

it('gives up on an unreachable broker after the connect timeout, with a clear message', async () => {
  const started = Date.now();
  const p = run(['registry', '--port', '0', '--brokers', '127.0.0.1:1', '--connect-timeout', '1500', '--log-level', 'error']);
  expect(await p.exit).toBe(1);
  expect(p.err()).toMatch(/registry not started: Could not reach Kafka at 127\.0\.0\.1:1 within \d+ s/);
  expect(p.out()).toBe('');
  expect(Date.now() - started).toBeLessThan(15_000);
});
