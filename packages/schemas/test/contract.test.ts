/**
 * Rules for the contract in schemas/, beyond "avsc parses it": what external producers read
 * (docs), what evolution needs (nullable fields default to null), and that the event stages'
 * records extend each other instead of drifting apart.
 */
import { join } from 'node:path';
import { latest, loadSchemaFolders } from '../src/codegen/load-schemas';
import type { AvroComplex, AvroField, AvroJson } from '../src/codegen/avro-to-ts';

const folders = loadSchemaFolders(join(__dirname, '..', '..', '..', 'schemas'));
const newest = (name: string) => latest(folders.find((f) => f.name === name)!).schema as unknown as AvroComplex;

function* records(schema: AvroJson, path: string): Generator<{ path: string; record: AvroComplex }> {
  if (typeof schema === 'string') return;
  if (Array.isArray(schema)) {
    for (const b of schema) yield* records(b, path);
    return;
  }
  if (schema.type === 'record') {
    yield { path, record: schema };
    for (const f of schema.fields ?? []) yield* records(f.type, `${path}.${f.name}`);
  } else if (schema.type === 'array') yield* records(schema.items!, path);
  else if (schema.type === 'map') yield* records(schema.values!, path);
}

const everyVersion = folders.flatMap((f) => f.versions.map((v) => ({ label: `${f.name}/v${v.version}`, schema: v.schema as unknown as AvroJson })));

it('covers every topic schema of the design', () => {
  expect(folders.map((f) => f.name)).toEqual([
    'consents.changes',
    'delivery.attempts',
    'delivery.dlq',
    'delivery.outcomes',
    'events.invalid',
    'events.raw',
    'events.resolved',
    'events.unique',
    'events.valid',
    'identity.audit',
    'persons.import',
    'profiles.changes',
  ]);
});

it.each(everyVersion)('$label: every record and field says what it is', ({ label, schema }) => {
  const undocumented: string[] = [];
  for (const { path, record } of records(schema, label)) {
    if (!record.doc && path === label) undocumented.push(path);
    for (const f of record.fields ?? []) if (!f.doc) undocumented.push(`${path}.${f.name}`);
  }
  expect(undocumented).toEqual([]);
});

it.each(everyVersion)('$label: every nullable field defaults to null, so it can be added or dropped compatibly', ({ label, schema }) => {
  const wrong: string[] = [];
  for (const { path, record } of records(schema, label)) {
    for (const f of record.fields ?? []) {
      if (Array.isArray(f.type) && f.type[0] === 'null' && f.default !== null) wrong.push(`${path}.${f.name}`);
      if (Array.isArray(f.type) && f.type.includes('null') && f.type[0] !== 'null') wrong.push(`${path}.${f.name} (null must be the first branch)`);
    }
  }
  expect(wrong).toEqual([]);
});

const fieldsOf = (name: string) => (newest(name).fields ?? []).map((f: AvroField) => f.name);

it('each event stage extends the previous one: valid ⊂ unique ⊂ resolved, in the same order', () => {
  const valid = fieldsOf('events.valid');
  const unique = fieldsOf('events.unique');
  const resolved = fieldsOf('events.resolved');
  expect(unique.slice(0, valid.length)).toEqual(valid);
  expect(resolved.slice(0, unique.length)).toEqual(unique);
});

it('the raw event carries the whole Segment envelope plus what Stratum stamps', () => {
  expect(fieldsOf('events.raw')).toEqual(
    expect.arrayContaining(['type', 'messageId', 'timestamp', 'sentAt', 'receivedAt', 'originalTimestamp', 'userId', 'anonymousId', 'event', 'name', 'properties', 'traits', 'context', 'integrations', 'groupId', 'previousId', 'tenantId', 'sourceId', 'schemaVersion', 'channel']),
  );
});
