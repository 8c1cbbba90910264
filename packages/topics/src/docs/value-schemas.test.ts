import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicNamed } from '../catalogue';
import { TopicsError } from '../errors';
import { readLatestSchema, readValueSchemas, summarise, typeName } from './value-schemas';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'stratum-topics-schemas-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(folder: string, file: string, schema: unknown) {
  mkdirSync(join(root, 'schemas', folder), { recursive: true });
  writeFileSync(join(root, 'schemas', folder, file), typeof schema === 'string' ? schema : JSON.stringify(schema));
}

const record = (name: string, fields: unknown[]) => ({ type: 'record', name, namespace: 'stratum.events', doc: 'An event.', fields });

describe('typeName', () => {
  it('renders Avro types compactly', () => {
    expect(typeName('string')).toBe('string');
    expect(typeName(['null', 'string'])).toBe('null | string');
    expect(typeName({ type: 'long', logicalType: 'timestamp-millis' })).toBe('long (timestamp-millis)');
    expect(typeName({ type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 })).toBe('bytes (decimal 10,2)');
    expect(typeName({ type: 'array', items: 'string' })).toBe('array<string>');
    expect(typeName({ type: 'map', values: ['null', 'double'] })).toBe('map<null | double>');
    expect(typeName({ type: 'enum', name: 'Kind', symbols: ['TRACK', 'IDENTIFY'] })).toBe('enum Kind (TRACK, IDENTIFY)');
    expect(typeName(['null', { type: 'record', name: 'Context', fields: [] }])).toBe('null | record Context');
    expect(typeName({ type: 'fixed', name: 'Sha256', size: 32 })).toBe('fixed Sha256[32]');
    expect(typeName('stratum.events.Context')).toBe('stratum.events.Context');
  });
});

describe('readLatestSchema', () => {
  it('reads the highest version and its top-level fields', () => {
    write('events.raw', 'v1.avsc', record('RawEvent', [{ name: 'tenantId', type: 'string' }]));
    write('events.raw', 'v2.avsc', record('RawEvent', [{ name: 'tenantId', type: 'string', doc: 'Owner.' }, { name: 'userId', type: ['null', 'string'], default: null }]));
    write('events.raw', 'v10.avsc', record('RawEvent', [{ name: 'messageId', type: 'string' }]));
    expect(readLatestSchema(root, 'events.raw')).toEqual({
      file: 'schemas/events.raw/v10.avsc',
      version: 10,
      recordName: 'stratum.events.RawEvent',
      doc: 'An event.',
      fields: [{ name: 'messageId', type: 'string', doc: null }],
    });
  });

  it('names the missing file when the folder or its versions do not exist', () => {
    expect(() => readLatestSchema(root, 'events.raw')).toThrow(new TopicsError('schema_missing', 'schemas/events.raw/v1.avsc does not exist'));
    mkdirSync(join(root, 'schemas', 'events.raw'), { recursive: true });
    expect(() => readLatestSchema(root, 'events.raw')).toThrow('schemas/events.raw/v1.avsc does not exist');
  });

  it('refuses a file that is not JSON or not a record', () => {
    write('events.raw', 'v1.avsc', '{ nope');
    expect(() => readLatestSchema(root, 'events.raw')).toThrow(/^schemas\/events\.raw\/v1\.avsc: not JSON/);
    expect(() => summarise('x.avsc', 1, { type: 'enum', name: 'E', symbols: [] })).toThrow('x.avsc: the top level must be an Avro record with a name and fields');
  });
});

describe('readValueSchemas', () => {
  it('lists every missing schema in one error, with the topics that need it', () => {
    write('events.raw', 'v1.avsc', record('RawEvent', []));
    const catalogue = ['events.raw', 'delivery.attempts', 'delivery.retry.30s'].map((n) => topicNamed(n));
    let error: unknown;
    try {
      readValueSchemas(root, catalogue);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TopicsError);
    expect((error as TopicsError).code).toBe('schema_missing');
    expect((error as TopicsError).message).toBe(
      'cannot render docs/pipeline.md without every value schema:\n' +
        '  schemas/delivery.attempts/v1.avsc does not exist (the value schema of delivery.attempts, delivery.retry.30s)',
    );
  });

  it('reads each folder once', () => {
    write('delivery.attempts', 'v1.avsc', record('Attempt', []));
    const schemas = readValueSchemas(root, [topicNamed('delivery.attempts'), topicNamed('delivery.retry.5m')]);
    expect([...schemas.keys()]).toEqual(['delivery.attempts']);
  });
});
