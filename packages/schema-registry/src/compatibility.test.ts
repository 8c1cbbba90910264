import { parseAvroSchema } from './avro';
import { cannotRead, checkCompatibility, parseCompatibilityLevel, type CompatibilityLevel, type PreviousVersion } from './compatibility';

type Field = { name: string; type: unknown; default?: unknown };
const record = (fields: Field[], name = 'User', namespace = 'stratum') => parseAvroSchema(JSON.stringify({ type: 'record', name, namespace, fields })).type;
const history = (...types: ReturnType<typeof record>[]): PreviousVersion[] => types.map((type, i) => ({ version: i + 1, type }));
const compatible = (level: CompatibilityLevel, candidate: ReturnType<typeof record>, previous: PreviousVersion[]) => checkCompatibility(level, candidate, previous).length === 0;

const a = { name: 'a', type: 'string' };
const bInt = { name: 'b', type: 'int' };
const bIntDefault = { name: 'b', type: 'int', default: 0 };

describe('canRead (avsc schema resolution)', () => {
  it('reads older data when a new field has a default, not when it has none', () => {
    expect(cannotRead(record([a, bIntDefault]), record([a]))).toBeNull();
    expect(cannotRead(record([a, bInt]), record([a]))).toMatch(/no matching field for default-less stratum\.User\.b|default-less/);
  });

  it('promotes int to long but not long to int', () => {
    expect(cannotRead(record([{ name: 'n', type: 'long' }]), record([{ name: 'n', type: 'int' }]))).toBeNull();
    expect(cannotRead(record([{ name: 'n', type: 'int' }]), record([{ name: 'n', type: 'long' }]))).not.toBeNull();
  });

  it('compares record names without namespaces, as Java Avro does', () => {
    expect(cannotRead(record([a], 'User', 'one'), record([a], 'User', 'two'))).toBeNull();
    expect(cannotRead(record([a], 'User'), record([a], 'Person'))).not.toBeNull();
  });

  it('needs every branch of a writer union to be readable', () => {
    const optional = record([{ name: 's', type: ['null', 'string'], default: null }]);
    const required = record([{ name: 's', type: 'string' }]);
    expect(cannotRead(optional, required)).toBeNull();
    expect(cannotRead(required, optional)).not.toBeNull();
  });

  it('reads an enum with fewer symbols only into one with more (or a default)', () => {
    const two = record([{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } }]);
    const three = record([{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] } }]);
    expect(cannotRead(three, two)).toBeNull();
    expect(cannotRead(two, three)).not.toBeNull();
  });
});

describe('checkCompatibility', () => {
  const v1 = record([a]);
  const addRequired = record([a, bInt]);
  const addOptional = record([a, bIntDefault]);

  it('NONE accepts anything', () => {
    expect(compatible('NONE', record([{ name: 'x', type: 'boolean' }]), history(v1))).toBe(true);
  });

  it('accepts anything as the first version', () => {
    for (const level of ['BACKWARD', 'FORWARD_TRANSITIVE', 'FULL'] as const) expect(compatible(level, addRequired, [])).toBe(true);
  });

  it('BACKWARD: the new schema must read the latest data', () => {
    expect(compatible('BACKWARD', addOptional, history(v1))).toBe(true);
    expect(compatible('BACKWARD', addRequired, history(v1))).toBe(false);
    // Removing a field is backward compatible: the new reader ignores it.
    expect(compatible('BACKWARD', v1, history(addRequired))).toBe(true);
  });

  it('FORWARD: the latest schema must read data written with the new one', () => {
    expect(compatible('FORWARD', addRequired, history(v1))).toBe(true);
    expect(compatible('FORWARD', v1, history(addRequired))).toBe(false);
    expect(compatible('FORWARD', v1, history(addOptional))).toBe(true);
  });

  it('FULL: both directions', () => {
    expect(compatible('FULL', addOptional, history(v1))).toBe(true);
    expect(compatible('FULL', addRequired, history(v1))).toBe(false);
    expect(compatible('FULL', v1, history(addRequired))).toBe(false);
  });

  it('non-transitive levels look at the latest version only; transitive ones at all of them', () => {
    // v1 {a}, v2 {a, b=0}, then v3 {a, b} without default: reads v2 data, not v1 data.
    expect(compatible('BACKWARD', addRequired, history(v1, addOptional))).toBe(true);
    expect(compatible('BACKWARD_TRANSITIVE', addRequired, history(v1, addOptional))).toBe(false);
    // v1 {a, b}, v2 {a, b=0}, then v3 {a}: v2 reads it (default), v1 cannot.
    expect(compatible('FORWARD', v1, history(addRequired, addOptional))).toBe(true);
    expect(compatible('FORWARD_TRANSITIVE', v1, history(addRequired, addOptional))).toBe(false);
    expect(compatible('FULL', v1, history(addRequired, addOptional))).toBe(true);
    expect(compatible('FULL_TRANSITIVE', v1, history(addRequired, addOptional))).toBe(false);
  });

  it('reports the first incompatible version (newest first), the reason and the level', () => {
    const reasons = checkCompatibility('BACKWARD_TRANSITIVE', addRequired, history(v1, record([a])));
    expect(reasons).toEqual([expect.stringMatching(/^\{description: 'the new schema cannot read data written with version 2: .*default-less/), '{oldSchemaVersion: 2}', "{compatibility: 'BACKWARD_TRANSITIVE'}"]);
    const forward = checkCompatibility('FORWARD', v1, history(addRequired));
    expect(forward[0]).toMatch(/^\{description: 'version 1 cannot read data written with the new schema: /);
  });
});

describe('parseCompatibilityLevel', () => {
  it('accepts every level in any case and nothing else', () => {
    expect(parseCompatibilityLevel('full_transitive')).toBe('FULL_TRANSITIVE');
    expect(parseCompatibilityLevel('Backward')).toBe('BACKWARD');
    expect(parseCompatibilityLevel('SIDEWAYS')).toBeUndefined();
    expect(parseCompatibilityLevel(3)).toBeUndefined();
  });
});
