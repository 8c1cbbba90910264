/** Every error path of the REST API: HTTP status, Confluent error_code, and never a 5xx for a client mistake. */
import { call, recordSchema, uniqueName, useStack } from './helpers';

const stack = useStack();
const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(stack.registry.url, method, path, body, headers);
const schema = (name: string, ...fields: string[]) => recordSchema(name, fields.map((f) => ({ name: f, type: 'string' })));

async function expectError(res: Promise<Awaited<ReturnType<typeof api>>>, status: number, code: number, message?: RegExp): Promise<void> {
  const r = await res;
  expect({ status: r.status, code: (r.body as { error_code?: number } | undefined)?.error_code }).toEqual({ status, code });
  expect(r.contentType).toBe('application/vnd.schemaregistry.v1+json');
  if (message) expect((r.body as { message: string }).message).toMatch(message);
}

async function registered(prefix = 'err'): Promise<{ subject: string; id: number }> {
  const subject = uniqueName(prefix);
  const r = await api('POST', `/subjects/${subject}/versions`, { schema: schema('E', 'a') });
  expect(r.status).toBe(200);
  return { subject, id: (r.body as { id: number }).id };
}

describe('HTTP-level errors', () => {
  it('400 for a body that is not JSON or is empty', async () => {
    await expectError(api('POST', `/subjects/${uniqueName('s')}/versions`, '{"schema": '), 400, 400, /not valid JSON/);
    await expectError(api('POST', `/subjects/${uniqueName('s')}/versions`, ''), 400, 400, /empty/);
  });

  it('404 for an unknown endpoint, 405 for a wrong method', async () => {
    await expectError(api('GET', '/nothing/here'), 404, 404);
    await expectError(api('PUT', '/subjects'), 405, 405, /supports GET/);
  });

  it('413 above the 1 MiB body limit, with the limit in the body', async () => {
    const huge = { schema: JSON.stringify({ type: 'record', name: 'Big', doc: 'x'.repeat(1_100_000), fields: [] }) };
    const r = await api('POST', `/subjects/${uniqueName('s')}/versions`, huge);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error_code: 413, limit: 1024 * 1024 });
  });

  it('415 for a non-JSON content type; accepts the three JSON ones', async () => {
    const subject = uniqueName('ct');
    await expectError(api('POST', `/subjects/${subject}/versions`, { schema: '"string"' }, { 'Content-Type': 'text/plain' }), 415, 415);
    for (const type of ['application/json', 'application/vnd.schemaregistry+json', 'application/vnd.schemaregistry.v1+json; charset=utf-8']) {
      const r = await api('POST', `/subjects/${subject}/versions`, { schema: '"string"' }, { 'Content-Type': type });
      expect(r.status).toBe(200);
    }
  });
});

describe('registry errors', () => {
  it('40401 subject not found, on every endpoint that names a subject', async () => {
    const nobody = uniqueName('nobody');
    await expectError(api('GET', `/subjects/${nobody}/versions`), 404, 40401, new RegExp(`Subject '${nobody}' not found`));
    await expectError(api('GET', `/subjects/${nobody}/versions/1`), 404, 40401);
    await expectError(api('GET', `/subjects/${nobody}/versions/latest/schema`), 404, 40401);
    await expectError(api('POST', `/subjects/${nobody}`, { schema: '"string"' }), 404, 40401);
    await expectError(api('DELETE', `/subjects/${nobody}`), 404, 40401);
    await expectError(api('DELETE', `/subjects/${nobody}/versions/1`), 404, 40401);
    await expectError(api('DELETE', `/config/${nobody}`), 404, 40401);
  });

  it('40402 version not found', async () => {
    const { subject } = await registered();
    await expectError(api('GET', `/subjects/${subject}/versions/2`), 404, 40402, /Version 2 not found/);
    await expectError(api('POST', `/compatibility/subjects/${subject}/versions/5`, { schema: schema('E', 'a') }), 404, 40402);
  });

  it('40403 schema not found', async () => {
    const { subject } = await registered();
    await expectError(api('GET', '/schemas/ids/987654'), 404, 40403, /Schema 987654 not found/);
    await expectError(api('GET', '/schemas/ids/not-a-number'), 404, 40403);
    await expectError(api('GET', '/schemas/ids/987654/versions'), 404, 40403);
    await expectError(api('POST', `/subjects/${subject}`, { schema: schema('E', 'b') }), 404, 40403);
  });

  it('40408 when a subject has no subject-level compatibility, unless defaultToGlobal', async () => {
    const { subject } = await registered();
    await expectError(api('GET', `/config/${subject}`), 404, 40408, /does not have subject-level compatibility configured/);
    expect((await api('GET', `/config/${subject}?defaultToGlobal=true`)).body).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it('409 for an incompatible schema', async () => {
    const { subject } = await registered();
    await expectError(api('POST', `/subjects/${subject}/versions`, { schema: recordSchema('E', [{ name: 'a', type: 'int' }]) }), 409, 409, /BACKWARD/);
  });

  it('42201 for invalid, non-Avro or referencing schemas', async () => {
    const s = uniqueName('bad');
    await expectError(api('POST', `/subjects/${s}/versions`, { schema: '{"type":"record","name":"R"}' }), 422, 42201, /Invalid Avro schema: .*fields/);
    await expectError(api('POST', `/subjects/${s}/versions`, { schema: '{"type": nope' }), 422, 42201, /not JSON/);
    await expectError(api('POST', `/subjects/${s}/versions`, { schema: '"strin"' }), 422, 42201, /Invalid Avro schema/);
    await expectError(api('POST', `/subjects/${s}/versions`, { schema: '{"type":"object"}', schemaType: 'JSON' }), 422, 42201, /JSON is not supported/);
    await expectError(api('POST', `/subjects/${s}/versions`, { schema: 'syntax = "proto3";', schemaType: 'PROTOBUF' }), 422, 42201, /PROTOBUF is not supported/);
    await expectError(api('POST', `/subjects/${s}/versions`, { schema: '"string"', references: [{ name: 'x', subject: 'y', version: 1 }] }), 422, 42201, /references are not supported/);
    await expectError(api('POST', `/subjects/${s}/versions`, {}), 422, 42201, /Empty schema/);
    await expectError(api('POST', `/subjects/${s}/versions`, ['not', 'an', 'object']), 422, 42201);
    await expectError(api('POST', `/compatibility/subjects/${s}/versions/latest`, { schema: '"strin"' }), 422, 42201);
    // Nothing was written for the subject.
    await expectError(api('GET', `/subjects/${s}/versions`), 404, 40401);
  });

  it('42202 for an invalid version', async () => {
    const { subject } = await registered();
    for (const v of ['0', '-2', 'abc', '2147483648']) await expectError(api('GET', `/subjects/${subject}/versions/${v}`), 422, 42202, /is not a valid version id/);
    await expectError(api('DELETE', `/subjects/${subject}/versions/zero`), 422, 42202);
  });

  it('42203 for an invalid compatibility level', async () => {
    await expectError(api('PUT', '/config', { compatibility: 'SIDEWAYS' }), 422, 42203, /Valid values are none, backward/);
    await expectError(api('PUT', `/config/${uniqueName('c')}`, {}), 422, 42203);
  });

  it('42205 for an explicit id (import mode), 42208 for an invalid subject', async () => {
    await expectError(api('POST', `/subjects/${uniqueName('imp')}/versions`, { schema: '"string"', id: 100 }), 422, 42205, /IMPORT mode/);
    await expectError(api('POST', `/subjects/${encodeURIComponent('bad\u0001subject')}/versions`, { schema: '"string"' }), 422, 42208);
  });
});

describe('plain endpoints', () => {
  it('answers /, /schemas/types and /mode', async () => {
    expect((await api('GET', '/')).body).toEqual({});
    expect((await api('GET', '/schemas/types')).body).toEqual(['AVRO']);
    expect((await api('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
  });
});
