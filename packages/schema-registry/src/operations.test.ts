import { parseAvroSchema } from './avro';
import { RegistryError } from './errors';
import { decideDeleteConfig, decideDeleteSubject, decideDeleteVersion, decideRegister, decideSetConfig, type Decision } from './operations';
import { RegistryState } from './state';

const rec = (...fields: string[]) => parseAvroSchema(JSON.stringify({ type: 'record', name: 'R', fields: fields.map((name) => ({ name, type: 'int' })) }));

/** Applies a decision's records, as the log reader would once they are committed. */
function commit<T>(state: RegistryState, decision: Decision<T>): T {
  for (const r of decision.records) state.apply(r);
  return decision.result;
}

function failure(fn: () => unknown): RegistryError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error('expected a RegistryError');
}

describe('decideRegister', () => {
  it('numbers versions per subject and ids globally, reusing the id of the same schema', () => {
    const state = new RegistryState();
    commit(state, decideSetConfig(state, 'b', 'NONE'));
    expect(commit(state, decideRegister(state, 'a', rec('x')))).toEqual({ id: 1 });
    expect(commit(state, decideRegister(state, 'b', rec('y')))).toEqual({ id: 2 });
    expect(commit(state, decideRegister(state, 'b', rec('x')))).toEqual({ id: 1 });
    expect(state.versions('b').map((v) => [v.version, v.id])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('answers a re-registration without writing', () => {
    const state = new RegistryState();
    commit(state, decideRegister(state, 'a', rec('x')));
    expect(decideRegister(state, 'a', rec('x'))).toEqual({ records: [], result: { id: 1 } });
  });

  it('rejects an incompatible schema under the subject level with 409', () => {
    const state = new RegistryState();
    commit(state, decideRegister(state, 'a', rec('x')));
    const err = failure(() => decideRegister(state, 'a', rec('x', 'y')));
    expect(err.code).toBe(409);
    expect(err.message).toContain("{compatibility: 'BACKWARD'}");
    commit(state, decideSetConfig(state, 'a', 'NONE'));
    expect(commit(state, decideRegister(state, 'a', rec('x', 'y')))).toEqual({ id: 2 });
  });

  it('re-registering a soft-deleted schema makes a new version and drops the deleted one for good', () => {
    const state = new RegistryState();
    commit(state, decideRegister(state, 'a', rec('x')));
    commit(state, decideDeleteSubject(state, 'a', false));
    const decision = decideRegister(state, 'a', rec('x'));
    expect(decision.result).toEqual({ id: 1 });
    expect(decision.records).toEqual([expect.objectContaining({ version: 2 }), { kind: 'schema', subject: 'a', version: 1, value: null }]);
  });
});

describe('deletes', () => {
  function withVersions(): RegistryState {
    const state = new RegistryState();
    commit(state, decideSetConfig(state, 'a', 'NONE'));
    commit(state, decideRegister(state, 'a', rec('x')));
    commit(state, decideRegister(state, 'a', rec('y')));
    return state;
  }

  it('soft-deletes a subject (and its config), then permanently', () => {
    const state = withVersions();
    expect(failure(() => decideDeleteSubject(state, 'a', true)).code).toBe(40405);
    expect(commit(state, decideDeleteSubject(state, 'a', false))).toEqual([1, 2]);
    expect(state.subjectLevel('a')).toBeUndefined();
    expect(failure(() => decideDeleteSubject(state, 'a', false)).code).toBe(40404);
    expect(commit(state, decideDeleteSubject(state, 'a', true))).toEqual([1, 2]);
    expect(failure(() => decideDeleteSubject(state, 'a', true)).code).toBe(40401);
  });

  it('soft-deletes a version, then permanently; latest means the latest live one', () => {
    const state = withVersions();
    expect(failure(() => decideDeleteVersion(state, 'a', 1, true)).code).toBe(40407);
    expect(commit(state, decideDeleteVersion(state, 'a', -1, false))).toBe(2);
    expect(failure(() => decideDeleteVersion(state, 'a', 2, false)).code).toBe(40406);
    expect(commit(state, decideDeleteVersion(state, 'a', 2, true))).toBe(2);
    expect(failure(() => decideDeleteVersion(state, 'a', 2, true)).code).toBe(40402);
    expect(failure(() => decideDeleteVersion(state, 'nope', 1, false)).code).toBe(40401);
    // Deleting the last live version removes the subject's config too (Confluent).
    expect(state.subjectLevel('a')).toBe('NONE');
    commit(state, decideDeleteVersion(state, 'a', 1, false));
    expect(state.subjectLevel('a')).toBeUndefined();
  });
});

describe('config', () => {
  it('writes a level only when it changes and deletes it back to the default', () => {
    const state = new RegistryState();
    expect(decideSetConfig(state, null, 'BACKWARD').records).toHaveLength(1);
    commit(state, decideSetConfig(state, null, 'FULL'));
    expect(decideSetConfig(state, null, 'FULL').records).toEqual([]);
    expect(commit(state, decideDeleteConfig(state, null))).toEqual({ compatibilityLevel: 'FULL' });
    expect(state.globalCompatibility()).toBe('BACKWARD');
    expect(failure(() => decideDeleteConfig(state, 'a')).code).toBe(40401);
  });
});
