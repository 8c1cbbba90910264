/**
 * The evolution check CI runs: registering every version of every schema, oldest first, under
 * the registry's default BACKWARD policy must succeed. A schema change that would break readers
 * fails here with the registry's own reason.
 */
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { loadSchemaFolders } from '../src/codegen/load-schemas';
import { latestSchemas } from '../src';
import { useEmbeddedStack } from './embedded-stack';

const stack = useEmbeddedStack();
const folders = loadSchemaFolders(join(__dirname, '..', '..', '..', 'schemas'));

it.each(folders.map((f) => [f.name, f] as const))('%s: each version is BACKWARD compatible with the one before', async (name, folder) => {
  const registry = new SchemaRegistry({ host: stack.registryUrl });
  const subject = `evolution-${name}-value`;
  const ids: number[] = [];
  for (const v of folder.versions) {
    try {
      ids.push((await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v.schema) }, { subject })).id);
    } catch (err) {
      throw new Error(`${name}/v${v.version}.avsc is not BACKWARD compatible with v${v.version - 1}: ${(err as Error).message}`);
    }
  }
  expect(new Set(ids).size).toBe(folder.versions.length);
});

it('a breaking change is refused with the registry reason (a new required field without a default)', async () => {
  const registry = new SchemaRegistry({ host: stack.registryUrl });
  const subject = 'evolution-breaking-value';
  await registry.register({ type: SchemaType.AVRO, schema: latestSchemas['events.raw'].schema }, { subject });
  const broken = JSON.parse(latestSchemas['events.raw'].schema) as { fields: object[] };
  broken.fields.push({ name: 'region', type: 'string' });
  await expect(registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(broken) }, { subject })).rejects.toMatchObject({
    status: 409,
    message: expect.stringMatching(/region/),
  });
});
