/**
 * @stratum/topics: the topic catalogue — names, keys, value schemas, partitions,
 * retention/compaction, retry and dead-letter siblings — and the tools built on it:
 * `applyTopics` (behind `stratum topics apply`), the docs/pipeline.md generator and the Strimzi
 * KafkaTopic manifest (k8s/base/kafka-topics.yaml).
 */
export { topicCatalogue, topicNamed, valueSubject, keySubject } from './catalogue';
export { catalogueProblems, MAX_CATALOGUE_PARTITIONS, MIN_RETENTION_MS } from './catalogue-rules';
export {
  SERVICES,
  OUTSIDE_PARTIES,
  KEY_SEPARATOR,
  KEY_ENCODING,
  joinKey,
  type Service,
  type OutsideParty,
  type Party,
  type KeyForm,
  type KeySpec,
  type CleanupPolicy,
  type RetryTier,
  type TopicSpec,
} from './topic-spec';
export { SECOND, MINUTE, HOUR, DAY, FOREVER, formatDuration } from './duration';
export { TopicsError, TOPICS_ERROR_CODES, type TopicsErrorCode } from './errors';
export {
  planTopic,
  desiredTopic,
  desiredConfigs,
  defaultReplicationFactor,
  PARTITION_INCREASE_WARNING,
  FINDING_CODES,
  type Action,
  type ActualConfig,
  type ActualTopic,
  type ClusterShape,
  type ConfigChange,
  type DesiredTopic,
  type Finding,
  type FindingCode,
  type PlanOptions,
  type TopicPlan,
} from './plan';
export { applyTopics, type ApplyOptions } from './apply';
export { formatReport, describeTopic, EXIT_CODES, TOPIC_STATUSES, type ApplyReport, type TopicReport, type TopicStatus } from './report';
export { renderPipelineDoc, GENERATE_COMMAND } from './docs/render';
export {
  strimziKafkaTopics,
  strimziKafkaTopic,
  renderKafkaTopicsManifest,
  kafkaTopicResourceName,
  KAFKA_TOPICS_MANIFEST,
  DEFAULT_STRIMZI_OPTIONS,
  type KafkaTopicResource,
  type StrimziOptions,
} from './strimzi';
export { pipelineDoc, PIPELINE_DOC } from './docs/pipeline-doc';
export { readValueSchemas, readLatestSchema, type SchemaSummary, type FieldSummary } from './docs/value-schemas';
export { workspaceRoot } from './docs/workspace-root';
