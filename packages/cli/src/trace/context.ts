/** What every stage's source needs to find one event on the topics: whose, which, and how to decode. */
import { createReader, SerdeError, type AvroSerde, type RegistryClient, type SchemaName, type SchemaTypes } from '@stratum/schemas';
import type { RawRecord, ScanTarget, Verdict } from './topic-scan';

export interface TraceContext {
  readonly tenantId: string;
  readonly messageId: string;
  readonly registry: RegistryClient;
  /** The Kafka name of a catalogue topic: itself, or `<prefix>.<name>` in a deployment whose topics carry a prefix. */
  topicName(catalogueName: string): string;
}

/** A record that matched, decoded, with where it was read. */
export interface Found<T> {
  /** The Kafka topic name (prefixed when the deployment's are). */
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The record's Kafka timestamp, epoch ms. */
  readonly timestamp: number;
  readonly value: T;
}

interface Collect<K extends SchemaName> {
  /** The catalogue topic, e.g. `delivery.retry.30s`. */
  readonly topic: string;
  /** The schema its values are written with, e.g. `delivery.attempts`. */
  readonly schema: K;
  readonly matches: (value: SchemaTypes[K]) => boolean;
  readonly into: Array<Found<SchemaTypes[K]>>;
}

/**
 * A scan target that decodes `topic`'s values and keeps the ones `matches` accepts. Avro writes a
 * string as its UTF-8 bytes, so a value that does not contain the messageId's and the tenantId's
 * bytes cannot be this tenant's event: it is skipped undecoded, which is nearly every record.
 * Keys are not used: events.raw is keyed however an outside producer likes.
 */
export function collect<K extends SchemaName>(ctx: TraceContext, spec: Collect<K>): ScanTarget {
  const messageId = Buffer.from(ctx.messageId, 'utf8');
  const tenantId = Buffer.from(ctx.tenantId, 'utf8');
  // Decode-only, looked up on the first candidate: a topic with none never asks the registry.
  let reader: Promise<AvroSerde<SchemaTypes[K]>> | undefined;
  return {
    topic: ctx.topicName(spec.topic),
    prefilter: (r: RawRecord) => r.value.includes(messageId) && r.value.includes(tenantId),
    async accept(r: RawRecord): Promise<Verdict> {
      reader ??= createReader(ctx.registry, spec.schema, `${spec.topic}-value`);
      const serde = await reader;
      let value: SchemaTypes[K];
      try {
        value = await serde.decode(r.value);
      } catch (err) {
        // A corrupt record is counted and passed over; a registry that stopped answering ends the trace.
        if (err instanceof SerdeError && err.code !== 'registry_unavailable') return 'undecodable';
        throw err;
      }
      if (!spec.matches(value)) return 'other';
      spec.into.push({ topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, value });
      return 'match';
    },
  };
}
