/**
 * @stratum/testing: the harness every integration test uses — a Kafka + schema registry
 * (embedded, external or testcontainers), PostgreSQL (DATABASE_URL or embedded), unique names,
 * and typed produce/collect helpers. See docs/testing.md.
 */
export { startTestStack, useTestStack, type TestStack, type TestStackOptions } from './kafka/stack';
export { uniqueTopics, prefixedSpec, type UniqueTopics, type UniqueTopicsOptions } from './kafka/unique-topics';
export { produceRecords, type ProduceRecordsOptions, type RecordToProduce } from './kafka/produce';
export { collectRecords, type CollectRecordsOptions } from './kafka/collect';
export { collectToEnd, type CollectToEndOptions } from './kafka/collect-to-end';
export { describeRecords, type CollectedRecord } from './kafka/collected';
export { testKafkaClient } from './kafka/client';
export { DEFAULT_CONTAINER_IMAGES } from './kafka/testcontainers';
export { startTestPostgres, useTestPostgres, withDatabase, type TestPostgres, type TestPostgresOptions, type TestDatabase } from './postgres/test-postgres';
export { uniqueName, uniqueIdentifier } from './names';
export { waitFor, type WaitForOptions } from './wait';
export { closedPort } from './ports';
export { spawnTsProcess, metricsUrlFrom, type TsProcess } from './child-process';
export { KAFKA_MODES, KAFKA_MODE_VAR, kafkaModeFrom, externalKafkaFrom, databaseUrlFrom, type Env, type KafkaMode, type ExternalKafka } from './env';
export { HarnessError, HARNESS_ERROR_CODES, type HarnessErrorCode } from './errors';
