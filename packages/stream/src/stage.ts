/**
 * A stage as a service declares it (its `pipeline.ts`): input schema → steps → named outputs.
 * Topics are not named here: `main.ts` maps the input and each output to a topic, so the same
 * stage runs against test topics and real ones.
 */
import type { SchemaName, SchemaTypes } from '@stratum/schemas';
import type { DeliveryGuarantee } from './delivery/output-delivery';
import type { Pipeline } from './pipeline';
import type { RecordContext } from './record-context';

/** Output name → the schema of what it carries. */
export type OutputSchemas = Record<string, SchemaName>;

/** One record for one named output; a null value is a tombstone (on a compacted topic, the key is forgotten). */
export type Emission<O extends OutputSchemas> = { [K in keyof O & string]: { output: K; key: string; value: SchemaTypes[O[K]] | null } }[keyof O & string];

export interface StageDefinition<I extends SchemaName, O extends OutputSchemas, V> {
  /** Service name: metrics label, consumer client id, logs. */
  name: string;
  /** Schema of the input topic's values. */
  input: I;
  outputs: O;
  /** The output that receives quarantined and undecodable records (its schema must be events.invalid). */
  quarantine?: { [K in keyof O & string]: O[K] extends 'events.invalid' ? K : never }[keyof O & string];
  pipeline: Pipeline<SchemaTypes[I], V>;
  /**
   * at-least-once (default): outputs acknowledged, then the offset committed; a crash can write a
   * chunk's outputs twice. exactly-once: outputs and offset in one Kafka transaction; for stages
   * whose output must hold each record once (dedup).
   */
  delivery?: DeliveryGuarantee;
  /** What a record that made it through the steps writes: zero or more records to named outputs. */
  emit(value: V, ctx: RecordContext): Emission<O>[];
}

/** Identity function that checks a stage definition's types. */
export function defineStage<I extends SchemaName, O extends OutputSchemas, V>(definition: StageDefinition<I, O, V>): StageDefinition<I, O, V> {
  return definition;
}
