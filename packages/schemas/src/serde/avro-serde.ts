/**
 * Typed Avro serde for one subject in the Confluent wire format. The schema id is looked up (or
 * registered) once at creation; writer schemas of other ids are fetched once and kept with their
 * resolver, so encoding and decoding never make a registry round-trip per record.
 */
import avro from 'avsc';
import { SerdeError } from './errors';
import { HEADER_SIZE, readSchemaId, writeHeader } from './wire-format';
import type { RegistryClient } from './registry-client';

export interface AvroSerdeOptions {
  registry: RegistryClient;
  /** Registry subject, e.g. `events.raw-value` (TopicNameStrategy). */
  subject: string;
  /** The schema this process writes and reads as (JSON text). */
  schema: string;
}

/** Schema id of a reader whose schema the registry does not hold (no record carries it). */
const NOT_REGISTERED = -1;

/** Encodes values of T to framed Avro and decodes framed Avro written with any compatible schema. */
export class AvroSerde<T> {
  /** The registry id of this serde's schema under its subject. */
  readonly schemaId: number;
  readonly subject: string;
  private readonly type: avro.Type;
  private readonly registry: RegistryClient;
  private readonly resolvers = new Map<number, avro.Resolver | Promise<avro.Resolver>>();
  private scratch = Buffer.allocUnsafe(16 * 1024);

  private constructor(options: AvroSerdeOptions, type: avro.Type, schemaId: number) {
    this.subject = options.subject;
    this.type = type;
    this.registry = options.registry;
    this.schemaId = schemaId;
  }

  /** Registers (or finds) the schema under the subject and returns a ready serde. */
  static async create<T>(options: AvroSerdeOptions): Promise<AvroSerde<T>> {
    const type = avro.Type.forSchema(JSON.parse(options.schema) as avro.Schema);
    const id = await options.registry.idFor(options.subject, options.schema);
    return new AvroSerde<T>(options, type, id);
  }

  /**
   * A decode-only serde: never registers (a consumer must not add versions to its input's
   * subject). Its own id is looked up so records written with this exact schema skip the
   * resolver; encode() refuses to run without one.
   */
  static async reader<T>(options: AvroSerdeOptions): Promise<AvroSerde<T>> {
    const type = avro.Type.forSchema(JSON.parse(options.schema) as avro.Schema);
    const id = await options.registry.lookUp(options.subject, options.schema);
    return new AvroSerde<T>(options, type, id ?? NOT_REGISTERED);
  }

  /** Framed Avro bytes of `value`; throws SerdeError(invalid_value) naming every bad field. */
  encode(value: T): Buffer {
    if (this.schemaId === NOT_REGISTERED) throw new SerdeError('registration_refused', `${this.subject}: a decode-only serde cannot encode`);
    let end: number;
    try {
      end = this.type.encode(value, this.scratch, HEADER_SIZE);
      if (end < 0) {
        // avsc returns minus the bytes still missing: grow to fit and keep the bigger scratch.
        this.scratch = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.scratch.length - end));
        end = this.type.encode(value, this.scratch, HEADER_SIZE);
      }
    } catch {
      throw this.invalid(value);
    }
    writeHeader(this.scratch, this.schemaId);
    return Buffer.from(this.scratch.subarray(0, end));
  }

  /** Decodes framed Avro; resolves an older or newer writer schema to this serde's schema. */
  async decode(record: Buffer): Promise<T> {
    const id = readSchemaId(record);
    if (id === this.schemaId) return this.read(record, undefined);
    let resolver = this.resolvers.get(id);
    if (resolver === undefined) {
      const pending = this.resolverFor(id);
      // Concurrent decodes of a new id share one look-up; a failed one (registry down) is
      // forgotten so the next record tries again.
      pending.catch(() => this.resolvers.delete(id));
      this.resolvers.set(id, pending);
      resolver = pending;
    }
    return this.read(record, resolver instanceof Promise ? await resolver : resolver);
  }

  private async resolverFor(id: number): Promise<avro.Resolver> {
    const writer = await this.registry.typeById(id);
    try {
      const resolver = this.type.createResolver(writer);
      this.resolvers.set(id, resolver);
      return resolver;
    } catch (err) {
      throw new SerdeError('incompatible_writer_schema', `${this.subject}: records written with schema id ${id} cannot be read as schema id ${this.schemaId}: ${(err as Error).message}`, { cause: err });
    }
  }

  private read(record: Buffer, resolver: avro.Resolver | undefined): T {
    let decoded: { value: unknown; offset: number };
    try {
      decoded = this.type.decode(record, HEADER_SIZE, resolver);
    } catch (err) {
      throw new SerdeError('corrupt_body', `${this.subject}: Avro body does not decode: ${(err as Error).message}`, { cause: err });
    }
    if (decoded.offset !== record.length) {
      const why = decoded.offset < 0 ? 'is truncated' : `has ${record.length - decoded.offset} trailing bytes`;
      throw new SerdeError('corrupt_body', `${this.subject}: Avro body ${why} (schema id ${readSchemaId(record)})`);
    }
    return decoded.value as T;
  }

  private invalid(value: T): SerdeError {
    const problems: string[] = [];
    this.type.isValid(value, {
      errorHook: (path: string[], got: unknown, type: avro.Type) => {
        problems.push(`${path.join('.') || '(root)'}: expected ${type.typeName}, got ${JSON.stringify(got) ?? 'undefined'}`);
      },
    });
    return new SerdeError('invalid_value', `${this.subject}: value does not match the schema: ${problems.join('; ')}`);
  }
}
