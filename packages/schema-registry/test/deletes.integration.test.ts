/** Soft and permanent deletes of subjects and versions, as Confluent behaves. */
import { call, recordSchema, uniqueName, useStack } from './helpers';

const stack = useStack();
const api = (method: string, path: string, body?: unknown) => call(stack.registry.url, method, path, body);
// Each test's schemas are its own (record name = subject), so no other subject shares their ids.
let name = 'Del';
const v = (n: number) => recordSchema(name, Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: ['null', 'string'], default: null })));

async function subjectWithVersions(count: number): Promise<{ subject: string; ids: number[] }> {
  const subject = uniqueName('del');
  name = subject.replace(/-/g, '_');
  const ids: number[] = [];
  for (let i = 1; i <= count; i++) {
    const r = await api('POST', `/subjects/${subject}/versions`, { schema: v(i) });
    expect(r.status).toBe(200);
    ids.push((r.body as { id: number }).id);
  }
  return { subject, ids };
}

const code = async (p: ReturnType<typeof api>) => {
  const r = await p;
  return [r.status, (r.body as { error_code?: number }).error_code ?? r.body];
};

describe('deleting a subject', () => {
  it('soft-deletes: versions vanish from reads, ids still resolve, listing with deleted=true shows them', async () => {
    const { subject, ids } = await subjectWithVersions(2);
    await api('PUT', `/config/${subject}`, { compatibility: 'FULL' });
    expect((await api('DELETE', `/subjects/${subject}`)).body).toEqual([1, 2]);

    expect(await code(api('GET', `/subjects/${subject}/versions`))).toEqual([404, 40401]);
    expect(await code(api('GET', `/subjects/${subject}/versions/latest`))).toEqual([404, 40401]);
    expect((await api('GET', '/subjects')).body).not.toContain(subject);
    expect((await api('GET', '/subjects?deleted=true')).body).toContain(subject);
    expect((await api('GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([1, 2]);
    expect((await api('GET', `/subjects/${subject}/versions/1?deleted=true`)).body).toMatchObject({ subject, version: 1, id: ids[0] });
    expect((await api('GET', `/schemas/ids/${ids[1]}`)).body).toEqual({ schema: JSON.stringify(JSON.parse(v(2))) });
    expect((await api('GET', `/schemas/ids/${ids[1]}/versions`)).body).toEqual([]);
    expect((await api('GET', `/schemas/ids/${ids[1]}/versions?deleted=true`)).body).toEqual([{ subject, version: 2 }]);
    // The subject's config goes with it.
    expect(await code(api('GET', `/config/${subject}`))).toEqual([404, 40408]);
    // A second soft delete is an error.
    expect(await code(api('DELETE', `/subjects/${subject}`))).toEqual([404, 40404]);
  });

  it('permanent delete needs a soft delete first, then removes every trace but the id counter', async () => {
    const { subject, ids } = await subjectWithVersions(2);
    expect(await code(api('DELETE', `/subjects/${subject}?permanent=true`))).toEqual([404, 40405]);
    await api('DELETE', `/subjects/${subject}`);
    expect((await api('DELETE', `/subjects/${subject}?permanent=true`)).body).toEqual([1, 2]);
    expect((await api('GET', '/subjects?deleted=true')).body).not.toContain(subject);
    expect(await code(api('GET', `/schemas/ids/${ids[0]}`))).toEqual([404, 40403]);
    expect(await code(api('DELETE', `/subjects/${subject}?permanent=true`))).toEqual([404, 40401]);
    // Registering again starts at version 1 and gets the schema's old id back.
    const again = await api('POST', `/subjects/${subject}/versions`, { schema: v(1) });
    expect(again.body).toEqual({ id: ids[0] });
    expect((await api('GET', `/subjects/${subject}/versions`)).body).toEqual([1]);
  });

  it('re-registering after a soft delete makes a new version with the same id', async () => {
    const { subject, ids } = await subjectWithVersions(1);
    await api('DELETE', `/subjects/${subject}`);
    expect((await api('POST', `/subjects/${subject}/versions`, { schema: v(1) })).body).toEqual({ id: ids[0] });
    expect((await api('GET', `/subjects/${subject}/versions`)).body).toEqual([2]);
    // The deleted version 1 with that id is gone for good (Confluent tombstones it).
    expect((await api('GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([2]);
  });
});

describe('deleting a version', () => {
  it('soft then permanent; the next version number does not go back', async () => {
    const { subject, ids } = await subjectWithVersions(3);
    expect(await code(api('DELETE', `/subjects/${subject}/versions/2?permanent=true`))).toEqual([404, 40407]);
    expect((await api('DELETE', `/subjects/${subject}/versions/2`)).body).toBe(2);
    expect(await code(api('DELETE', `/subjects/${subject}/versions/2`))).toEqual([404, 40406]);
    expect((await api('GET', `/subjects/${subject}/versions`)).body).toEqual([1, 3]);
    expect(await code(api('GET', `/subjects/${subject}/versions/2`))).toEqual([404, 40402]);
    expect((await api('GET', `/schemas/ids/${ids[1]}`)).status).toBe(200);

    expect((await api('DELETE', `/subjects/${subject}/versions/latest`)).body).toBe(3);
    expect((await api('GET', `/subjects/${subject}/versions/latest`)).body).toMatchObject({ version: 1 });
    expect((await api('DELETE', `/subjects/${subject}/versions/2?permanent=true`)).body).toBe(2);
    expect(await code(api('GET', `/schemas/ids/${ids[1]}`))).toEqual([404, 40403]);
    expect(await code(api('DELETE', `/subjects/${subject}/versions/2?permanent=true`))).toEqual([404, 40402]);

    // Version 3 is soft-deleted, not gone: a new schema becomes version 4.
    const next = await api('POST', `/subjects/${subject}/versions`, { schema: v(4) });
    expect(next.status).toBe(200);
    expect((await api('GET', `/subjects/${subject}/versions`)).body).toEqual([1, 4]);
  });

  it('checks compatibility only against versions that are not deleted', async () => {
    const subject = uniqueName('del-compat');
    await api('POST', `/subjects/${subject}/versions`, { schema: recordSchema('C', [{ name: 'a', type: 'string' }]) });
    await api('POST', `/subjects/${subject}/versions`, { schema: recordSchema('C', [{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }]) });
    const breaking = recordSchema('C', [{ name: 'a', type: 'string' }, { name: 'b', type: 'int' }]);
    await api('PUT', `/config/${subject}`, { compatibility: 'BACKWARD_TRANSITIVE' });
    expect((await api('POST', `/subjects/${subject}/versions`, { schema: breaking })).status).toBe(409);
    await api('DELETE', `/subjects/${subject}/versions/1`);
    expect((await api('POST', `/subjects/${subject}/versions`, { schema: breaking })).status).toBe(200);
  });
});
