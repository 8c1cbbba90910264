/** Two registry replicas on one broker and one topic: each sees the other's writes, and concurrent writes stay consistent. */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { RunningSchemaRegistry } from '../src';
import { call, dump, recordSchema, startRegistry, startTestBroker, uniqueName, waitFor, type TestBroker } from './helpers';

let broker: TestBroker;
let a: RunningSchemaRegistry;
let b: RunningSchemaRegistry;
/** Kafka error types of failed write attempts on either replica (a fenced writer sees INVALID_PRODUCER_EPOCH). */
const failedAttempts: unknown[] = [];
const noop = () => undefined;
const logger = { debug: (msg: string, fields?: Record<string, unknown>) => void (msg === 'schema log write attempt failed' && failedAttempts.push(fields?.error)), info: noop, warn: noop, error: noop };

beforeAll(async () => {
  broker = await startTestBroker();
  const topic = uniqueName('_schemas');
  const options = { topic, requestTimeoutMs: 20_000, logger };
  [a, b] = await Promise.all([startRegistry(broker.bootstrap, options), startRegistry(broker.bootstrap, options)]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await broker?.close();
});

const schemaFor = (name: string) => recordSchema(name.replace(/-/g, '_'), [{ name: 'id', type: 'string' }]);

it('a schema registered on A is readable from B at once, by id and by subject', async () => {
  const subject = uniqueName('cross');
  const { id } = await new SchemaRegistry({ host: a.url }).register({ type: SchemaType.AVRO, schema: schemaFor(subject) }, { subject });
  // No waiting: B catches up with the log before it answers "not found".
  const fromB = new SchemaRegistry({ host: b.url });
  expect(JSON.parse((await call(b.url, 'GET', `/schemas/ids/${id}`)).text)).toEqual({ schema: JSON.stringify(JSON.parse(schemaFor(subject))) });
  expect(await fromB.getLatestSchemaId(subject)).toBe(id);
  expect((await call(b.url, 'GET', `/config/${subject}`)).body).toEqual({ compatibilityLevel: 'BACKWARD' });
  // And B's writes build on A's: the same schema under the same subject is the same version.
  expect((await call(b.url, 'POST', `/subjects/${subject}/versions`, { schema: schemaFor(subject) })).body).toEqual({ id });
});

it('concurrent registrations on both replicas get unique ids and gap-free versions, and the replicas agree', async () => {
  const shared = uniqueName('shared');
  // Different record names: only NONE lets them follow each other in one subject.
  for (const subject of [shared, `${shared}-a`, `${shared}-b`]) expect((await call(a.url, 'PUT', `/config/${subject}`, { compatibility: 'NONE' })).status).toBe(200);
  const perReplica = 20;
  const jobs: Promise<{ replica: string; schema: string; subject: string; id: number }>[] = [];
  for (let i = 0; i < perReplica; i++) {
    for (const [name, replica] of [
      ['a', a],
      ['b', b],
    ] as const) {
      // Half into one subject both replicas write to, half into a subject of their own.
      const subject = i % 2 === 0 ? shared : `${shared}-${name}`;
      const schema = schemaFor(`${shared}-${name}-${i}`);
      jobs.push(
        call(replica.url, 'POST', `/subjects/${subject}/versions`, { schema }).then((r) => {
          if (r.status !== 200) throw new Error(`${name} ${subject}: ${r.status} ${r.text}`);
          return { replica: name, schema, subject, id: (r.body as { id: number }).id };
        }),
      );
    }
  }
  const results = await Promise.all(jobs);
  // The replicas did contend: writers were fenced and their writes decided again.
  expect(failedAttempts).toContain('INVALID_PRODUCER_EPOCH');

  // Every distinct schema got its own id.
  expect(new Set(results.map((r) => r.id)).size).toBe(2 * perReplica);
  // The shared subject holds versions 1..20, each one of the schemas registered into it, once.
  const versions = (await call(a.url, 'GET', `/subjects/${shared}/versions`)).body as number[];
  expect(versions).toEqual(Array.from({ length: perReplica }, (_, i) => i + 1));
  const held = await Promise.all(versions.map(async (v) => ((await call(a.url, 'GET', `/subjects/${shared}/versions/${v}`)).body as { id: number; schema: string })));
  const expected = results.filter((r) => r.subject === shared);
  expect(held.map((h) => h.id).sort((x, y) => x - y)).toEqual(expected.map((r) => r.id).sort((x, y) => x - y));
  for (const h of held) expect(JSON.parse(h.schema)).toEqual(JSON.parse(expected.find((r) => r.id === h.id)!.schema));
  // Both replicas serve the same everything.
  const fromA = await dump(a.url);
  await waitFor(async () => JSON.stringify(await dump(b.url)) === JSON.stringify(fromA), 10_000, 'replica B to match A');
  for (const r of results) expect((await call(b.url, 'GET', `/schemas/ids/${r.id}`)).body).toEqual({ schema: JSON.stringify(JSON.parse(r.schema)) });
});
