/**
 * A RegistryClient that keeps schemas in memory: for unit tests of code that uses serde, where a
 * registry server would test nothing more. Integration tests use the real registry.
 */
import avro from 'avsc';
import { SerdeError } from './errors';
import type { RegistryClient } from './registry-client';

export interface MemoryRegistryClient extends RegistryClient {
  /** id → schema text. */
  readonly schemas: ReadonlyMap<number, string>;
  /** How many writer-schema look-ups (typeById) were made. */
  readonly lookups: number;
  /** While true, typeById fails as an unreachable registry would. */
  unavailable: boolean;
}

/** An empty in-memory registry whose ids start at `firstId`. */
export function memoryRegistryClient(firstId = 1): MemoryRegistryClient {
  const schemas = new Map<number, string>();
  let nextId = firstId;
  const find = (schema: string) => [...schemas].find(([, s]) => s === schema)?.[0] ?? null;
  const client = {
    schemas,
    lookups: 0,
    unavailable: false,
    async lookUp(_subject: string, schema: string) {
      return find(schema);
    },
    async idFor(_subject: string, schema: string) {
      const found = find(schema);
      if (found !== null) return found;
      schemas.set(nextId, schema);
      return nextId++;
    },
    async typeById(id: number) {
      client.lookups++;
      if (client.unavailable) throw new SerdeError('registry_unavailable', 'in-memory registry set unavailable');
      const schema = schemas.get(id);
      if (!schema) throw new SerdeError('unknown_schema_id', `no schema with id ${id}`);
      return avro.Type.forSchema(JSON.parse(schema) as avro.Schema);
    },
  };
  return client;
}
