/**
 * The shape of one catalogue entry: everything a producer, a consumer, `stratum topics apply` and
 * docs/pipeline.md need to know about a topic.
 */

/** The pipeline's services (services/<name>). */
export const SERVICES = ['gateway', 'ingest', 'dedup', 'identity-resolution', 'delivery-adapter', 'retry'] as const;
export type Service = (typeof SERVICES)[number];

/** Readers and writers that are not Stratum services. */
export const OUTSIDE_PARTIES = [
  'external Kafka producers',
  'operators',
  'downstream consumers',
  'stratum trace',
  // `stratum import`: person files loaded into persons.import
  'stratum import',
  // an operator-requested replay out of a dead-letter topic
  'replay',
] as const;
export type OutsideParty = (typeof OUTSIDE_PARTIES)[number];

/** Who produces to or consumes from a topic. */
export type Party = Service | OutsideParty;

/** Separator between the parts of a record key. */
export const KEY_SEPARATOR = ':';

/**
 * How every key is encoded, and what a producer outside Stratum must do to place keys where
 * Stratum's own clients do.
 */
export const KEY_ENCODING = {
  serializer: 'plain UTF-8 string (Kafka StringSerializer style), not Avro-framed',
  separator: KEY_SEPARATOR,
  partitioner: 'murmur2 of the key bytes, the default of the Java client and kafkajs',
  librdkafka:
    'librdkafka-based producers (confluent-kafka-python/-go/-dotnet, kcat, node-rdkafka) hash with CRC32 by default; ' +
    'set partitioner=murmur2_random to land on the same partitions. It only matters where a producer outside ' +
    'Stratum relies on key placement: today none does (ingest re-keys whatever arrives on events.raw).',
} as const;

/** One way to build a key: `pattern` is field names (or a literal) joined with ':'. */
export interface KeyForm {
  /** e.g. `tenantId:messageId`: fields of the value joined with ':'; a part starting with '_' is a literal (`_unknown`). */
  readonly pattern: string;
  /** When this form applies; null for the only or the first unconditional form. */
  readonly when: string | null;
}

/**
 * The record key. Every key is a plain UTF-8 string (Kafka's StringSerializer, not Avro-framed),
 * so the default partitioners of Java clients and kafkajs (murmur2) place it.
 */
export interface KeySpec {
  /** The forms in order of preference: the first that applies is used. */
  readonly forms: readonly KeyForm[];
  /** Why the key is made of these parts: the ordering or co-location it buys. */
  readonly why: string;
}

export type CleanupPolicy = 'delete' | 'compact';

/** A retry tier of a topic: failed records wait here `delayMs` before another attempt. */
export interface RetryTier {
  readonly topic: string;
  readonly delayMs: number;
}

export interface TopicSpec {
  /** The Kafka topic name. */
  readonly name: string;
  /** One sentence: what a record on this topic means. */
  readonly purpose: string;
  readonly producedBy: readonly Party[];
  readonly consumedBy: readonly Party[];
  readonly key: KeySpec;
  /** Folder under `schemas/` holding `v<N>.avsc`; registered under the subject `<topic>-value`. */
  readonly valueSchema: string;
  /** What a null value (a tombstone) means on this topic, or null when producers never send one. */
  readonly tombstones: string | null;
  readonly partitions: number;
  readonly cleanupPolicy: CleanupPolicy;
  /** retention.ms; -1 keeps records forever. */
  readonly retentionMs: number;
  /** Further topic configs beyond cleanup.policy and retention.ms (Kafka names, string values). */
  readonly configs: Readonly<Record<string, string>>;
  /** Why the retention/cleanup is what it is, when it is not the pipeline's 7-day default. */
  readonly retentionWhy: string | null;
  /** Retry tiers in order: a failed record goes to the first, then the next, then `deadLetter`. */
  readonly retryTiers: readonly RetryTier[];
  /** The topic whose retry tier this is, or null. */
  readonly retryTierOf: string | null;
  /** Where records go that cannot be processed (or ran out of retries), or null. */
  readonly deadLetter: string | null;
}

/** Joins key parts with ':' (the catalogue's key patterns describe which parts). */
export function joinKey(...parts: readonly string[]): string {
  return parts.join(KEY_SEPARATOR);
}
