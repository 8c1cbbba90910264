/** The generated sources must match schemas/ (CI fails on drift), and the generator must refuse contracts that drifted internally. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFiles } from './generate';
import { TypeScriptRenderer } from './avro-to-ts';

const packageDir = join(__dirname, '..', '..');
const schemasDir = join(packageDir, '..', '..', 'schemas');

it('src/generated/ is what the generator makes of schemas/ (else run `pnpm --filter @stratum/schemas generate`)', () => {
  for (const [path, content] of generateFiles(schemasDir)) {
    expect({ path, content: readFileSync(join(packageDir, path), 'utf8') }).toEqual({ path, content });
  }
});

const identifier = (fields: Array<{ name: string; type: string }>) => ({ type: 'record', name: 'Identifier', namespace: 'io.stratum.common', fields });

it('refuses two copies of a shared named type that differ', () => {
  const r = new TypeScriptRenderer();
  r.add({ type: 'record', name: 'A', fields: [{ name: 'id', type: identifier([{ name: 'type', type: 'string' }]) }] }, 'a/v1.avsc');
  expect(() => r.add({ type: 'record', name: 'B', fields: [{ name: 'id', type: identifier([{ name: 'type', type: 'int' }]) }] }, 'b/v1.avsc')).toThrow(
    /io\.stratum\.common\.Identifier is defined differently in a\/v1\.avsc and b\/v1\.avsc/,
  );
});

it('accepts identical copies of a shared type, whether inline or by reference', () => {
  const r = new TypeScriptRenderer();
  const id = identifier([{ name: 'type', type: 'string' }]);
  r.add({ type: 'record', name: 'A', fields: [{ name: 'id', type: id }] }, 'a/v1.avsc');
  r.add({ type: 'record', name: 'B', fields: [{ name: 'id', type: id }, { name: 'again', type: 'io.stratum.common.Identifier' }] }, 'b/v1.avsc');
  expect(r.declarations()).toContain('export interface B {\n  id: Identifier;\n  again: Identifier;\n}');
});

it('renders nullable unions, arrays, maps, enums, bytes and timestamps', () => {
  const r = new TypeScriptRenderer();
  r.add(
    {
      type: 'record',
      name: 'R',
      doc: 'A record.',
      fields: [
        { name: 'maybe', type: ['null', 'string'], default: null, doc: 'Optional text.' },
        { name: 'list', type: { type: 'array', items: 'long' } },
        { name: 'byKey', type: { type: 'map', values: 'double' } },
        { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['a', 'b'] } },
        { name: 'raw', type: 'bytes' },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      ],
    },
    'r/v1.avsc',
  );
  expect(r.declarations()).toBe(
    "export type Kind = 'a' | 'b';\n\n" +
      '/** A record. */\nexport interface R {\n  /** Optional text. */\n  maybe: null | string;\n  list: Array<number>;\n  byKey: Record<string, number>;\n  kind: Kind;\n  raw: Buffer;\n  at: EpochMillis;\n}\n',
  );
});

it('refuses unions avsc would have to wrap', () => {
  const r = new TypeScriptRenderer();
  const rec = (name: string) => ({ type: 'record', name, fields: [] });
  expect(() => r.add({ type: 'record', name: 'U', fields: [{ name: 'x', type: [rec('A'), rec('B')] }] }, 'u/v1.avsc')).toThrow(/more than one complex branch/);
});
