/** The registry keeps no state of its own: everything survives a restart of the registry or of the broker. */
import { call, dump, recordSchema, startRegistry, startTestBroker, uniqueName, type TestBroker } from './helpers';
import type { RunningSchemaRegistry } from '../src';

let broker: TestBroker;
const running: RunningSchemaRegistry[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await broker.close();
});

async function replica(topic: string, requestTimeoutMs = 5_000): Promise<RunningSchemaRegistry> {
  const r = await startRegistry(broker.bootstrap, { topic, requestTimeoutMs });
  running.push(r);
  return r;
}

async function stop(r: RunningSchemaRegistry): Promise<void> {
  running.splice(running.indexOf(r), 1);
  await r.stop();
}

const schema = (name: string, fields: number) => recordSchema(name, Array.from({ length: fields }, (_, i) => ({ name: `f${i}`, type: 'long', default: 0 })));

/** Registers a little of everything: versions, shared ids, configs, soft and permanent deletes. */
async function populate(url: string): Promise<string[]> {
  const [a, b, c] = [uniqueName('a'), uniqueName('b'), uniqueName('c')];
  const post = async (subject: string, s: string) => expect((await call(url, 'POST', `/subjects/${subject}/versions`, { schema: s })).status).toBe(200);
  for (let i = 1; i <= 3; i++) await post(a, schema('A', i));
  await post(b, schema('A', 1));
  await post(b, schema('A', 4));
  await post(c, schema('C', 1));
  expect((await call(url, 'PUT', `/config/${a}`, { compatibility: 'FULL' })).status).toBe(200);
  expect((await call(url, 'PUT', '/config', { compatibility: 'FORWARD' })).status).toBe(200);
  expect((await call(url, 'DELETE', `/subjects/${a}/versions/2`)).status).toBe(200);
  expect((await call(url, 'DELETE', `/subjects/${c}`)).status).toBe(200);
  expect((await call(url, 'DELETE', `/subjects/${c}?permanent=true`)).status).toBe(200);
  return [a, b, c];
}

it('a new replica reads the topic back: same ids, versions, deletes and configs; ids are not reused', async () => {
  const topic = uniqueName('_schemas');
  const first = await replica(topic);
  await populate(first.url);
  const before = await dump(first.url);
  await stop(first);

  const second = await replica(topic);
  expect(await dump(second.url)).toEqual(before);
  // Ids 1..5 were used (C's id 5 is gone for good): the next new schema gets 6.
  const next = await call(second.url, 'POST', `/subjects/${uniqueName('d')}/versions`, { schema: schema('D', 1) });
  expect(next.body).toEqual({ id: 6 });
});

it('survives a broker restart, stopped or running', async () => {
  const topic = uniqueName('_schemas');
  const first = await replica(topic);
  await populate(first.url);
  const before = await dump(first.url);
  await stop(first);
  await broker.restart();

  const second = await replica(topic);
  expect(await dump(second.url)).toEqual(before);

  // A running replica reconnects: its reader and its writer ride out the restart.
  await broker.restart();
  const subject = uniqueName('after-restart');
  const r = await call(second.url, 'POST', `/subjects/${subject}/versions`, { schema: schema('E', 1) });
  expect(r.status).toBe(200);
  expect((await call(second.url, 'GET', `/subjects/${subject}/versions/1`)).body).toMatchObject({ subject, version: 1, id: (r.body as { id: number }).id });
});

it('answers 50001 (HTTP 500) while Kafka is down, keeps serving what it knows, and recovers', async () => {
  const topic = uniqueName('_schemas');
  const r = await replica(topic, 1_500);
  const subject = uniqueName('down');
  const { id } = (await call(r.url, 'POST', `/subjects/${subject}/versions`, { schema: schema('Down', 1) })).body as { id: number };

  await broker.stop();
  try {
    const write = await call(r.url, 'POST', `/subjects/${subject}/versions`, { schema: schema('Down', 2) });
    expect(write.status).toBe(500);
    expect(write.body).toMatchObject({ error_code: 50001 });
    // Known entries come from memory; an unknown one cannot be confirmed absent.
    expect((await call(r.url, 'GET', `/schemas/ids/${id}`)).status).toBe(200);
    expect((await call(r.url, 'GET', '/schemas/ids/4242')).body).toMatchObject({ error_code: 50001 });
  } finally {
    await broker.start();
  }
  const retry = await call(r.url, 'POST', `/subjects/${subject}/versions`, { schema: schema('Down', 2) });
  expect(retry.status).toBe(200);
  expect((await call(r.url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
});
