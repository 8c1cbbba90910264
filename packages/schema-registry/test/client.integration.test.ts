/** The registry as @kafkajs/confluent-schema-registry uses it, over HTTP against a real broker. */
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { call, recordSchema, uniqueName, useStack } from './helpers';

const stack = useStack();
const client = () => new SchemaRegistry({ host: stack.registry.url });

const userV1 = (name: string) => recordSchema(name, [{ name: 'id', type: 'string' }]);
const userV2 = (name: string) => recordSchema(name, [{ name: 'id', type: 'string' }, { name: 'email', type: ['null', 'string'], default: null }]);

describe('with the Confluent client', () => {
  it('registers, encodes and decodes through the wire format', async () => {
    const subject = uniqueName('users-value');
    const registry = client();
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: userV1('User') }, { subject });
    expect(id).toBeGreaterThanOrEqual(1);

    const payload = { id: 'u-1' };
    const encoded = await registry.encode(id, payload);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    // A fresh client has no cache: decode must fetch the schema by id from the registry.
    expect(await client().decode(encoded)).toEqual(payload);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);
    expect(await registry.getRegistryId(subject, 1)).toBe(id);
  });

  it('follows the client config flow: 40408 before the first registration, BACKWARD after', async () => {
    const subject = uniqueName('flow-value');
    const before = await call(stack.registry.url, 'GET', `/config/${subject}`);
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({ error_code: 40408 });

    await client().register({ type: SchemaType.AVRO, schema: userV1('Flow') }, { subject, compatibility: COMPATIBILITY.BACKWARD });
    const after = await call(stack.registry.url, 'GET', `/config/${subject}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ compatibilityLevel: 'BACKWARD' });

    // A second registration reads the config, finds it equal and does not PUT again.
    const second = await client().register({ type: SchemaType.AVRO, schema: userV2('Flow') }, { subject, compatibility: COMPATIBILITY.BACKWARD });
    expect(second.id).not.toBe((await client().getRegistryId(subject, 1)));
    await expect(client().register({ type: SchemaType.AVRO, schema: userV1('Flow') }, { subject, compatibility: COMPATIBILITY.FULL })).rejects.toThrow(
      /Compatibility does not match the configuration \(FULL != BACKWARD\)/,
    );
  });

  it('returns the same id when the same schema is registered again, in any layout', async () => {
    const subject = uniqueName('again-value');
    const registry = client();
    const first = await registry.register({ type: SchemaType.AVRO, schema: userV1('Again') }, { subject });
    const reordered = JSON.stringify({ fields: [{ type: 'string', name: 'id' }], namespace: 'stratum.test', name: 'Again', type: 'record' }, null, 2);
    const second = await call(stack.registry.url, 'POST', `/subjects/${subject}/versions`, { schema: reordered });
    expect(second.body).toEqual({ id: first.id });
    const versions = await call(stack.registry.url, 'GET', `/subjects/${subject}/versions`);
    expect(versions.body).toEqual([1]);
  });

  it('shares one id between subjects for the same schema', async () => {
    const a = uniqueName('shared-a');
    const b = uniqueName('shared-b');
    const registry = client();
    const first = await registry.register({ type: SchemaType.AVRO, schema: userV1('Shared') }, { subject: a });
    const second = await registry.register({ type: SchemaType.AVRO, schema: userV1('Shared') }, { subject: b });
    expect(second.id).toBe(first.id);
    const holders = await call(stack.registry.url, 'GET', `/schemas/ids/${first.id}/versions`);
    expect(holders.body).toEqual(
      [
        { subject: a, version: 1 },
        { subject: b, version: 1 },
      ].sort((x, y) => (x.subject < y.subject ? -1 : 1)),
    );
  });

  it('rejects an incompatible change with 409 and the reason, and accepts a compatible one as a new version', async () => {
    const subject = uniqueName('compat-value');
    const registry = client();
    await registry.register({ type: SchemaType.AVRO, schema: userV1('Compat') }, { subject });
    const breaking = recordSchema('Compat', [{ name: 'id', type: 'string' }, { name: 'age', type: 'int' }]);
    await expect(registry.register({ type: SchemaType.AVRO, schema: breaking }, { subject })).rejects.toMatchObject({ status: 409 });

    const raw = await call(stack.registry.url, 'POST', `/subjects/${subject}/versions`, { schema: breaking });
    expect(raw.status).toBe(409);
    expect(raw.body).toMatchObject({ error_code: 409 });
    const message = (raw.body as { message: string }).message;
    expect(message).toContain(`incompatible with an earlier schema for subject "${subject}"`);
    expect(message).toContain("{compatibility: 'BACKWARD'}");
    expect(message).toMatch(/no matching field for default-less .*age/);

    const ok = await registry.register({ type: SchemaType.AVRO, schema: userV2('Compat') }, { subject });
    const latest = await call(stack.registry.url, 'GET', `/subjects/${subject}/versions/latest`);
    expect(latest.body).toEqual({ subject, version: 2, id: ok.id, schema: JSON.stringify(JSON.parse(userV2('Compat'))) });
  });

  it('looks a schema up under a subject (getRegistryIdBySchema)', async () => {
    const subject = uniqueName('lookup-value');
    const registry = client();
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: userV1('Lookup') }, { subject });
    expect(await registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: userV1('Lookup') })).toBe(id);
    await expect(registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: userV2('Lookup') })).rejects.toThrow(/not registered|Schema not found/);
  });

  it('answers the compatibility endpoint the client defines', async () => {
    const subject = uniqueName('check-value');
    await client().register({ type: SchemaType.AVRO, schema: userV1('Check') }, { subject });
    const good = await call(stack.registry.url, 'POST', `/compatibility/subjects/${subject}/versions/latest`, { schema: userV2('Check') });
    expect(good.body).toEqual({ is_compatible: true });
    const bad = await call(stack.registry.url, 'POST', `/compatibility/subjects/${subject}/versions/latest?verbose=true`, {
      schema: recordSchema('Check', [{ name: 'id', type: 'int' }]),
    });
    expect(bad.body).toMatchObject({ is_compatible: false });
    expect((bad.body as { messages: string[] }).messages.join(' ')).toMatch(/version 1.*cannot read|cannot read/);
    const unknownSubject = await call(stack.registry.url, 'POST', `/compatibility/subjects/${uniqueName('none')}/versions/latest`, { schema: userV1('X') });
    expect(unknownSubject.body).toEqual({ is_compatible: true });
  });
});
