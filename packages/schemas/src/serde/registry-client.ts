/**
 * What serde needs from a schema registry, over @kafkajs/confluent-schema-registry: the standard
 * client, so Stratum talks to Confluent Schema Registry and the embedded one the same way.
 */
import { SchemaRegistry, SchemaType, COMPATIBILITY } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { SerdeError } from './errors';

export interface RegistryClient {
  /** The id of `schema` under `subject`, registering it (BACKWARD policy) when it is new. */
  idFor(subject: string, schema: string): Promise<number>;
  /** The id of `schema` under `subject` if it is registered there, else null; never registers. */
  lookUp(subject: string, schema: string): Promise<number | null>;
  /** The writer schema behind an id (cached by the client: one request per id per process). */
  typeById(id: number): Promise<avro.Type>;
}

interface HttpishError {
  status?: number;
  message?: string;
}

function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as HttpishError).status : undefined;
}

/**
 * The client's transport (mappersmith) reports a refused connection or a timeout as status 400 or
 * 408, while the registry's own client errors are 404, 409 and 422: so 400/408, 5xx and no status
 * at all mean "unavailable, retry", the rest "refused". The client's own errors
 * (ConfluentSchemaRegistry*Error: a 404 it re-wraps, its check that the subject's compatibility
 * level is BACKWARD) carry no status, only their class name.
 */
function isClientError(err: unknown): boolean {
  return err instanceof Error && err.name.startsWith('ConfluentSchemaRegistry');
}

/** getRegistryIdBySchema turns the registry's 404 (subject or schema not found) into a bare ConfluentSchemaRegistryError. */
function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404 || (err instanceof Error && err.name === 'ConfluentSchemaRegistryError');
}

function isUnavailable(err: unknown): boolean {
  if (isClientError(err)) return false;
  const status = statusOf(err);
  return status === undefined || status === 400 || status === 408 || status >= 500;
}

function wrap(err: unknown, clientError: 'registration_refused' | 'unknown_schema_id', what: string): SerdeError {
  const message = err instanceof Error ? err.message : String(err);
  if (isUnavailable(err)) return new SerdeError('registry_unavailable', `${what}: schema registry unavailable: ${message}`, { cause: err });
  return new SerdeError(clientError, `${what}: ${message}`, { cause: err });
}

/** A RegistryClient for a Confluent-compatible registry at `url` (e.g. http://localhost:8081). */
export function confluentRegistryClient(url: string): RegistryClient {
  const registry = new SchemaRegistry({ host: url, retry: { retries: 3 } });
  const lookUp = async (subject: string, schema: string): Promise<number | null> => {
    try {
      return await registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema });
    } catch (err) {
      if (isNotFound(err)) return null;
      throw wrap(err, 'registration_refused', `looking up ${subject}`);
    }
  };
  return {
    lookUp,
    async idFor(subject, schema) {
      // Look up first: an already-registered schema needs no compatibility check and works
      // whatever compatibility level an operator set on the subject.
      const found = await lookUp(subject, schema);
      if (found !== null) return found;
      try {
        const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject, compatibility: COMPATIBILITY.BACKWARD });
        return id;
      } catch (err) {
        throw wrap(err, 'registration_refused', `registering ${subject}`);
      }
    },
    async typeById(id) {
      try {
        return (await registry.getSchema(id)) as unknown as avro.Type;
      } catch (err) {
        throw wrap(err, 'unknown_schema_id', `schema id ${id}`);
      }
    },
  };
}
