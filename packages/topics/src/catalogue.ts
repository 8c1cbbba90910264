/**
 * The topic catalogue: every Kafka topic of the pipeline, fixed in one place. Producers, consumers,
 * `stratum topics apply` and docs/pipeline.md all read this list; nothing else names a topic.
 */
import { TopicsError } from './errors';
import { DAY, FOREVER, HOUR, MINUTE, SECOND, formatDuration } from './duration';
import type { KeyForm, KeySpec, RetryTier, TopicSpec } from './topic-spec';

/** The pipeline's default retention: long enough to replay a week of processing. */
const WEEK = 7 * DAY;

const key = (why: string, ...forms: (string | KeyForm)[]): KeySpec => ({
  forms: forms.map((f) => (typeof f === 'string' ? { pattern: f, when: null } : f)),
  why,
});

/** Defaults shared by most topics; each entry states what differs. */
const base = {
  tombstones: null,
  cleanupPolicy: 'delete',
  retentionMs: WEEK,
  retentionWhy: null,
  configs: {},
  retryTiers: [],
  retryTierOf: null,
  deadLetter: null,
} as const satisfies Partial<TopicSpec>;

const DELIVERY_KEY = 'tenantId:destinationId:profileId';

const RETRY_TIERS: readonly RetryTier[] = [
  { topic: 'delivery.retry.30s', delayMs: 30 * SECOND },
  { topic: 'delivery.retry.5m', delayMs: 5 * MINUTE },
  { topic: 'delivery.retry.1h', delayMs: HOUR },
];

const retryTier = (tier: RetryTier, ordinal: string): TopicSpec => ({
  ...base,
  name: tier.topic,
  purpose: `Failed deliveries waiting ${formatDuration(tier.delayMs)} before their next attempt (the ${ordinal} retry tier).`,
  producedBy: ['delivery-adapter'],
  consumedBy: ['retry'],
  key: key('Same as delivery.attempts: a record keeps its key through every tier, so per-destination-per-profile order holds across retries.', DELIVERY_KEY),
  valueSchema: 'delivery.attempts',
  partitions: 6,
  retryTierOf: 'delivery.attempts',
  deadLetter: 'delivery.dlq',
});

const topics: TopicSpec[] = [
  {
    ...base,
    name: 'events.raw',
    purpose: 'Every event as it arrived, from the HTTP gateway or straight from a Kafka producer, before any validation.',
    producedBy: ['gateway', 'external Kafka producers'],
    consumedBy: ['ingest'],
    key: key(
      'Spreads load evenly over the partitions. The gateway sets it; external producers may key as they like, because ingest re-keys everything it forwards.',
      'tenantId:messageId',
    ),
    valueSchema: 'events.raw',
    partitions: 12,
    deadLetter: 'events.invalid',
  },
  {
    ...base,
    name: 'events.valid',
    purpose: 'Events that passed schema and tracking-plan validation, normalised and with their PII identifiers hashed.',
    producedBy: ['ingest'],
    consumedBy: ['dedup'],
    key: key(
      'Co-location for dedup: every copy of one messageId lands on one partition, so one dedup instance sees all copies.',
      'tenantId:messageId',
    ),
    valueSchema: 'events.valid',
    partitions: 12,
    deadLetter: 'events.invalid',
  },
  {
    ...base,
    name: 'events.invalid',
    purpose: "Quarantine: records that failed validation in ingest and any stage's poison records, each with the reason.",
    producedBy: ['ingest', 'dedup', 'identity-resolution', 'delivery-adapter'],
    consumedBy: ['operators'],
    key: key(
      "Keeps one source's quarantined records together and in order, for inspection and replay.",
      'tenantId:sourceId',
      { pattern: '_unknown', when: 'the record could not be decoded (a literal key)' },
    ),
    valueSchema: 'events.invalid',
    partitions: 6,
    retentionMs: 30 * DAY,
    retentionWhy: 'Operators inspect and replay the quarantine; 30 days gives them time to fix a tracking plan or a producer first.',
  },
  {
    ...base,
    name: 'events.unique',
    purpose: 'Valid events with repeats (the same tenant and messageId inside the dedup window) dropped.',
    producedBy: ['dedup'],
    consumedBy: ['identity-resolution'],
    key: key(
      "A device's anonymous history and its identify call stay ordered on one partition, so identity resolution sees them in order.",
      { pattern: 'tenantId:anonymousId', when: 'anonymousId is present' },
      { pattern: 'tenantId:userId', when: 'else, when userId is present' },
      { pattern: 'tenantId:messageId', when: 'otherwise' },
    ),
    valueSchema: 'events.unique',
    partitions: 12,
    deadLetter: 'events.invalid',
  },
  {
    ...base,
    name: 'persons.import',
    purpose: 'Person records loaded from files by `stratum import`, one per data row after hygiene, for identity resolution to match into golden records.',
    producedBy: ['stratum import'],
    consumedBy: ['identity-resolution'],
    key: key(
      "One tenant's import is resolved in order by one consumer, so two duplicate rows of a file never race into two new profiles.",
      'tenantId',
    ),
    valueSchema: 'persons.import',
    partitions: 6,
    retentionWhy: 'An import can be resumed or re-resolved within a week; importId + rowNumber let the consumer skip rows it has already seen.',
    deadLetter: 'events.invalid',
  },
  {
    ...base,
    name: 'events.resolved',
    purpose: 'Unique events stamped with the profile identity resolution found or created for them.',
    producedBy: ['identity-resolution'],
    consumedBy: ['delivery-adapter'],
    key: key('Per-profile ordering for delivery.', 'tenantId:profileId'),
    valueSchema: 'events.resolved',
    partitions: 12,
    deadLetter: 'events.invalid',
  },
  {
    ...base,
    name: 'profiles.changes',
    purpose: "Every change to a profile's golden record; a tombstone when the profile is merged into another.",
    producedBy: ['identity-resolution'],
    consumedBy: ['operators', 'downstream consumers'],
    key: key('Compaction keeps the latest golden record of each profile; per-profile ordering for consumers.', 'tenantId:profileId'),
    valueSchema: 'profiles.changes',
    tombstones: 'the profile was merged away into another one (see identity.audit); compaction then forgets it',
    partitions: 12,
    cleanupPolicy: 'compact',
    retentionMs: FOREVER,
    configs: { 'min.compaction.lag.ms': String(HOUR) },
    retentionWhy:
      'Compacted: the latest record of every profile is kept forever; min.compaction.lag.ms keeps every change readable for an hour before compaction may drop superseded ones.',
  },
  {
    ...base,
    name: 'identity.audit',
    purpose: 'Every link, merge and unmerge identity resolution performed, with its reason and evidence.',
    producedBy: ['identity-resolution'],
    consumedBy: ['operators', 'stratum trace'],
    key: key("A profile's whole identity history (everything linked or merged into it) is on one partition, in order.", {
      pattern: 'tenantId:profileId',
      when: 'profileId of the surviving profile, the target of a merge',
    }),
    valueSchema: 'identity.audit',
    partitions: 6,
    retentionMs: FOREVER,
    retentionWhy: 'The audit trail of every link, merge and unmerge: never deleted.',
  },
  {
    ...base,
    name: 'delivery.attempts',
    purpose: 'Deliveries due for another attempt: retries whose delay has passed and replays out of delivery.dlq.',
    producedBy: ['retry', 'replay'],
    consumedBy: ['delivery-adapter'],
    key: key(
      "Ordering per destination per profile, while a big tenant's destination is still spread over the partitions.",
      DELIVERY_KEY,
    ),
    valueSchema: 'delivery.attempts',
    partitions: 12,
    retryTiers: RETRY_TIERS,
    deadLetter: 'delivery.dlq',
  },
  retryTier(RETRY_TIERS[0]!, 'first'),
  retryTier(RETRY_TIERS[1]!, 'second'),
  retryTier(RETRY_TIERS[2]!, 'last'),
  {
    ...base,
    name: 'delivery.outcomes',
    purpose: 'The outcome of every delivery attempt to a destination: delivered, failed and why, or given up.',
    producedBy: ['delivery-adapter', 'retry'],
    consumedBy: ['operators', 'stratum trace'],
    key: key('Outcomes stay in the order of the attempts they report, per destination and profile.', DELIVERY_KEY),
    valueSchema: 'delivery.outcomes',
    partitions: 12,
    retentionMs: 30 * DAY,
    retentionWhy: 'Operators and `stratum trace` look back over a month of deliveries.',
  },
  {
    ...base,
    name: 'delivery.dlq',
    purpose: 'Deliveries that ran out of retries or failed for good, kept for operators to inspect and replay.',
    producedBy: ['delivery-adapter', 'retry'],
    consumedBy: ['retry', 'operators'],
    key: key('Keeps the delivery key, so a replay goes back in per-destination-per-profile order.', DELIVERY_KEY),
    valueSchema: 'delivery.dlq',
    partitions: 3,
    retentionMs: 30 * DAY,
    retentionWhy: 'Replayable for 30 days after the last retry gave up.',
  },
  {
    ...base,
    name: 'consents.changes',
    purpose: "Every change to a profile's consent or opt-out (including Twilio STOP replies), which delivery checks before sending.",
    producedBy: ['identity-resolution', 'gateway'],
    consumedBy: ['retry'],
    key: key("A profile's consent changes stay in order, so the latest one wins.", 'tenantId:profileId'),
    valueSchema: 'consents.changes',
    partitions: 6,
    retentionMs: FOREVER,
    retentionWhy: 'The legal record of consent: never deleted.',
  },
];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Every topic of the pipeline, in pipeline order; frozen. */
export const topicCatalogue: readonly TopicSpec[] = deepFreeze(topics);

/** The catalogue entry of `name`; throws `unknown_topic` for a name the catalogue does not have. */
export function topicNamed(name: string, catalogue: readonly TopicSpec[] = topicCatalogue): TopicSpec {
  const topic = catalogue.find((t) => t.name === name);
  if (!topic) {
    throw new TopicsError('unknown_topic', `"${name}" is not in the topic catalogue (known: ${catalogue.map((t) => t.name).join(', ')})`);
  }
  return topic;
}

const nameOf = (topic: string | TopicSpec): string => (typeof topic === 'string' ? topicNamed(topic).name : topic.name);

/**
 * The schema-registry subject of a topic's values (Confluent TopicNameStrategy: `<topic>-value`).
 * A name must be in the catalogue (a typo throws); pass a TopicSpec for a topic outside it.
 */
export function valueSubject(topic: string | TopicSpec): string {
  return `${nameOf(topic)}-value`;
}

/**
 * The subject a key schema would have under TopicNameStrategy (`<topic>-key`). Stratum's keys are
 * plain strings, so nothing is registered there; it exists so tools never build the name by hand.
 */
export function keySubject(topic: string | TopicSpec): string {
  return `${nameOf(topic)}-key`;
}
