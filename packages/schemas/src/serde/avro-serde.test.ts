/**
 * Serde behaviour that does not need a server: framing, golden bytes, evolution through resolvers,
 * caching and error codes. An in-memory RegistryClient stands in for the registry here; the
 * integration suite runs the same serde against the real registry over HTTP.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AvroSerde } from './avro-serde';
import { createSerde } from './create-serde';
import { SerdeError } from './errors';
import type { RegistryClient } from './registry-client';
import { memoryRegistryClient } from './memory-registry';
import { exampleRecords } from '../examples';
import { latestSchemas, type SchemaName } from '../generated/schemas';

const names = Object.keys(exampleRecords) as SchemaName[];
const goldenDir = join(__dirname, '..', '..', 'test', 'golden');

describe.each(names)('%s', (name) => {
  it('round-trips the example record', async () => {
    const serde = await createSerde(memoryRegistryClient(), name);
    expect(await serde.decode(serde.encode(exampleRecords[name]))).toEqual(exampleRecords[name]);
  });

  // Golden bytes pin the encoding: reordering fields or changing a type changes them. After an
  // intended change, regenerate with STRATUM_UPDATE_GOLDEN=1 and review the diff.
  it('encodes the example to the golden bytes (schema id 7)', async () => {
    const serde = await createSerde(memoryRegistryClient(7), name);
    const bytes = serde.encode(exampleRecords[name]).toString('hex');
    const file = join(goldenDir, `${name}.hex`);
    if (process.env.STRATUM_UPDATE_GOLDEN === '1') writeFileSync(file, `${bytes}\n`);
    expect(bytes).toBe(readFileSync(file, 'utf8').trim());
    expect(bytes.slice(0, 10)).toBe('0000000007');
  });
});

const v1 = { type: 'record', name: 'Thing', fields: [{ name: 'id', type: 'string' }] };
const v2 = { type: 'record', name: 'Thing', fields: [{ name: 'id', type: 'string' }, { name: 'note', type: ['null', 'string'], default: null }] };
const serdeOf = (registry: RegistryClient, schema: object) => AvroSerde.create<{ id: string; note?: string | null }>({ registry, subject: 'thing-value', schema: JSON.stringify(schema) });

it('reads records written with an older schema, filling defaults (BACKWARD evolution)', async () => {
  const registry = memoryRegistryClient();
  const old = await serdeOf(registry, v1);
  const current = await serdeOf(registry, v2);
  expect(current.schemaId).not.toBe(old.schemaId);
  expect(await current.decode(old.encode({ id: 'a' }))).toEqual({ id: 'a', note: null });
});

it('reads records written with a newer schema, dropping fields it does not know', async () => {
  const registry = memoryRegistryClient();
  const old = await serdeOf(registry, v1);
  const current = await serdeOf(registry, v2);
  expect(await old.decode(current.encode({ id: 'a', note: 'n' }))).toEqual({ id: 'a' });
});

it('fetches each writer schema once, however many records use it', async () => {
  const registry = memoryRegistryClient();
  const old = await serdeOf(registry, v1);
  const current = await serdeOf(registry, v2);
  const record = old.encode({ id: 'a' });
  await Promise.all(Array.from({ length: 50 }, () => current.decode(record)));
  await current.decode(record);
  expect(registry.lookups).toBe(1);
});

it('does not cache a failed look-up: once the registry is back the record decodes', async () => {
  const registry = memoryRegistryClient();
  const old = await serdeOf(registry, v1);
  const current = await serdeOf(registry, v2);
  registry.unavailable = true;
  await expect(current.decode(old.encode({ id: 'a' }))).rejects.toMatchObject({ code: 'registry_unavailable', retriable: true });
  registry.unavailable = false;
  expect(await current.decode(old.encode({ id: 'a' }))).toEqual({ id: 'a', note: null });
});

it('refuses records whose writer schema it cannot read', async () => {
  const registry = memoryRegistryClient();
  const other = await serdeOf(registry, { type: 'record', name: 'Thing', fields: [{ name: 'id', type: 'long' }] });
  const current = await serdeOf(registry, v2);
  await expect(current.decode(other.encode({ id: 5 } as never))).rejects.toMatchObject({ code: 'incompatible_writer_schema', retriable: false });
});

it('names every field that does not match the schema', async () => {
  const serde = await createSerde(memoryRegistryClient(), 'events.raw');
  const bad = { ...exampleRecords['events.raw'], messageId: undefined, receivedAt: 'yesterday' } as never;
  const err = (() => {
    try {
      serde.encode(bad);
    } catch (e) {
      return e as SerdeError;
    }
  })();
  expect(err).toBeInstanceOf(SerdeError);
  expect(err?.code).toBe('invalid_value');
  expect(err?.message).toMatch(/messageId: expected string, got undefined/);
  expect(err?.message).toMatch(/receivedAt: expected long, got "yesterday"/);
});

it('refuses bytes that are not Confluent-framed, truncated, or carry trailing bytes', async () => {
  const serde = await serdeOf(memoryRegistryClient(), v1);
  const good = serde.encode({ id: 'abc' });
  await expect(serde.decode(Buffer.from('{"id":"abc"}'))).rejects.toMatchObject({ code: 'not_confluent_framed' });
  await expect(serde.decode(good.subarray(0, 3))).rejects.toMatchObject({ code: 'not_confluent_framed' });
  await expect(serde.decode(good.subarray(0, good.length - 1))).rejects.toMatchObject({ code: 'corrupt_body' });
  await expect(serde.decode(Buffer.concat([good, Buffer.from([0])]))).rejects.toMatchObject({ code: 'corrupt_body', message: expect.stringMatching(/1 trailing bytes/) });
});

it('grows its scratch buffer for records larger than it', async () => {
  const serde = await createSerde(memoryRegistryClient(), 'events.raw');
  const big = { ...exampleRecords['events.raw'], properties: JSON.stringify({ blob: 'x'.repeat(100_000) }) };
  expect(await serde.decode(serde.encode(big))).toEqual(big);
  expect(await serde.decode(serde.encode(exampleRecords['events.raw']))).toEqual(exampleRecords['events.raw']);
});

it('embeds the newest version of each schema folder', () => {
  expect(Object.keys(latestSchemas)).toEqual(names.slice().sort());
});

it('a reader never registers, decodes what writers wrote, and refuses to encode', async () => {
  const registry = memoryRegistryClient();
  const writer = await serdeOf(registry, v1);
  const reader = await AvroSerde.reader<{ id: string; note?: string | null }>({ registry, subject: 'thing-value', schema: JSON.stringify(v2) });
  expect(registry.schemas.size).toBe(1);
  expect(await reader.decode(writer.encode({ id: 'a' }))).toEqual({ id: 'a', note: null });
  expect(() => reader.encode({ id: 'b' })).toThrow(/decode-only/);
  const sameSchema = await AvroSerde.reader<{ id: string }>({ registry, subject: 'thing-value', schema: JSON.stringify(v1) });
  expect(sameSchema.schemaId).toBe(writer.schemaId);
});
