/**
 * Strimzi's KafkaTopic (kafka.strimzi.io/v1beta2) has no kubernetes-models package: this is its
 * CRD's spec as far as Stratum uses it (topicName, partitions, replicas, config — which is the
 * whole of the CRD's spec), stricter than the CRD where the Topic Operator would otherwise fail
 * late: it ignores a topic without the `strimzi.io/cluster` label, and topic configs must be
 * strings, numbers or booleans.
 */
import Ajv, { type ErrorObject } from 'ajv';

/** A DNS subdomain name, what Kubernetes requires of metadata.name. */
const DNS_SUBDOMAIN = '^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

export const KAFKA_TOPIC_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'kafka.strimzi.io/v1beta2' },
    kind: { const: 'KafkaTopic' },
    metadata: {
      type: 'object',
      required: ['name', 'labels'],
      properties: {
        name: { type: 'string', pattern: DNS_SUBDOMAIN },
        namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
        labels: {
          type: 'object',
          required: ['strimzi.io/cluster'],
          additionalProperties: { type: 'string' },
        },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      required: ['partitions', 'replicas'],
      additionalProperties: false,
      properties: {
        // Kafka's own limit on a topic name; the legal characters are Kafka's too.
        topicName: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,249}$' },
        partitions: { type: 'integer', minimum: 1 },
        replicas: { type: 'integer', minimum: 1, maximum: 32767 },
        config: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(KAFKA_TOPIC_SCHEMA);

/** The object's problems against the schema; empty when valid. */
export function kafkaTopicProblems(object: unknown): string[] {
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}
