/** The typed entry point: a serde for a schema folder's newest version under a subject. */
import { latestSchemas, type SchemaName, type SchemaTypes } from '../generated/schemas';
import { AvroSerde } from './avro-serde';
import type { RegistryClient } from './registry-client';

/** Whether `name` is a schema folder this build knows (catalogue entries name them as plain strings). */
export function isSchemaName(name: string): name is SchemaName {
  return Object.hasOwn(latestSchemas, name);
}

/**
 * A ready serde for records of `schema` (e.g. 'events.raw') under `subject` (default
 * `<schema>-value`; retry tiers pass their own topic's subject with the delivery.attempts schema).
 */
export function createSerde<K extends SchemaName>(registry: RegistryClient, schema: K, subject = `${schema}-value`): Promise<AvroSerde<SchemaTypes[K]>> {
  return AvroSerde.create<SchemaTypes[K]>({ registry, subject, schema: latestSchemas[schema].schema });
}

/** A decode-only serde for an input topic: resolves any compatible writer schema to `schema`'s newest version, never registers. */
export function createReader<K extends SchemaName>(registry: RegistryClient, schema: K, subject = `${schema}-value`): Promise<AvroSerde<SchemaTypes[K]>> {
  return AvroSerde.reader<SchemaTypes[K]>({ registry, subject, schema: latestSchemas[schema].schema });
}
