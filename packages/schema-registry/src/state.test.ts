import { canonicalForm } from './avro';
import type { LogRecord, SchemaValue } from './records';
import { RegistryState, schemaIdentity } from './state';

const put = (subject: string, version: number, id: number, schema: string, deleted = false): LogRecord => ({ kind: 'schema', subject, version, value: { subject, version, id, schema, deleted } });
const tombstone = (subject: string, version: number): LogRecord => ({ kind: 'schema', subject, version, value: null });
const identity = (schema: string) => schemaIdentity(undefined, canonicalForm(schema));

function stateOf(...records: LogRecord[]): RegistryState {
  const state = new RegistryState();
  for (const r of records) state.apply(r);
  return state;
}

describe('RegistryState', () => {
  it('lists subjects and versions, hiding soft-deleted ones unless asked', () => {
    const state = stateOf(put('b', 1, 1, '"int"'), put('a', 1, 2, '"long"'), put('a', 2, 3, '"string"', true), put('c', 1, 1, '"int"', true));
    expect(state.subjectNames()).toEqual(['a', 'b']);
    expect(state.subjectNames(true)).toEqual(['a', 'b', 'c']);
    expect(state.versions('a').map((v) => v.version)).toEqual([1]);
    expect(state.versions('a', true).map((v) => v.version)).toEqual([1, 2]);
    expect(state.version('a', -1)?.version).toBe(1);
    expect(state.version('a', 2)).toBeUndefined();
    expect(state.version('a', 2, true)?.deleted).toBe(true);
    expect(state.nextVersion('a')).toBe(3);
    expect(state.nextVersion('new')).toBe(1);
  });

  it('resolves an id while any version holds it, soft-deleted included', () => {
    const state = stateOf(put('a', 1, 5, '"int"'), put('a', 1, 5, '"int"', true));
    expect(state.schemaById(5)).toEqual({ schema: '"int"' });
    state.apply(tombstone('a', 1));
    expect(state.schemaById(5)).toBeUndefined();
    expect(state.subjectNames(true)).toEqual([]);
  });

  it('remembers ids of permanently deleted schemas and never reuses an id', () => {
    const state = stateOf(put('a', 1, 1, '"int"'), put('a', 2, 2, '"long"'), tombstone('a', 2));
    expect(state.idFor(identity('"long"'))).toBe(2);
    expect(state.nextId()).toBe(3);
  });

  it('finds a schema in a subject by canonical form', () => {
    const schema = '{"type":"record","name":"R","fields":[{"name":"x","type":"int"}]}';
    const reordered = '{"fields":[{"type":"int","name":"x"}],"name":"R","type":"record"}';
    const state = stateOf(put('a', 1, 9, schema));
    expect(state.findInSubject('a', identity(reordered))?.id).toBe(9);
    expect(state.findInSubject('b', identity(reordered))).toBeUndefined();
  });

  it('applies configs and Confluent DELETE_SUBJECT records', () => {
    const state = stateOf(put('a', 1, 1, '"int"'), put('a', 2, 2, '"long"'), put('a', 3, 3, '"string"'), { kind: 'config', subject: 'a', value: 'FULL' }, { kind: 'config', subject: null, value: 'NONE' });
    expect(state.effectiveLevel('a')).toBe('FULL');
    expect(state.effectiveLevel('other')).toBe('NONE');
    state.apply({ kind: 'delete-subject', subject: 'a', version: 2 });
    expect(state.versions('a').map((v: SchemaValue) => v.version)).toEqual([3]);
    state.apply({ kind: 'config', subject: 'a', value: null });
    state.apply({ kind: 'config', subject: null, value: null });
    expect(state.effectiveLevel('a')).toBe('BACKWARD');
    expect(state.hasGlobalLevel()).toBe(false);
  });

  it('lists the holders of an id sorted by subject and version', () => {
    const state = stateOf(put('b', 2, 4, '"int"'), put('a', 3, 4, '"int"', true), put('b', 1, 4, '"int"'));
    expect(state.holdersOf(4).map((v) => [v.subject, v.version])).toEqual([
      ['b', 1],
      ['b', 2],
    ]);
    expect(state.holdersOf(4, true).map((v) => [v.subject, v.version])).toEqual([
      ['a', 3],
      ['b', 1],
      ['b', 2],
    ]);
  });
});
