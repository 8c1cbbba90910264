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
export { FaultSchedule, type Fault, type AnsweredFault, type Clock } from './mock-platforms/faults';
export { Recording, type RecordedRequest, type Rejection, type DroppedEvent, type FaultedRequest } from './mock-platforms/recording';
export { MockPlatform, type MockPlatformOptions } from './mock-platforms/mock-platform';
export { type RunningMock, type PlatformResponse } from './mock-platforms/mock-server';
export { MockMetaConversionsApi, type MockMetaConversionsApiOptions, type MetaServerEvent, type MetaRecordedEvent } from './mock-platforms/meta-conversions-api';
export { META_ACTION_SOURCES } from './mock-platforms/meta-event-rules';
export { MockGa4MeasurementProtocol, type MockGa4MeasurementProtocolOptions, type Ga4RecordedEvent } from './mock-platforms/ga4-measurement-protocol';
export { GA4_RESERVED_EVENT_NAMES, type Ga4ValidationCode, type Ga4ValidationMessage } from './mock-platforms/ga4-validation';
export { MockTikTokEventsApi, TIKTOK_EVENT_SOURCES, type MockTikTokEventsApiOptions, type TikTokRecordedEvent } from './mock-platforms/tiktok-events-api';
export { MockTwilioMessaging, type MockTwilioMessagingOptions } from './mock-platforms/twilio-messaging';
export { type TwilioMessage } from './mock-platforms/twilio-message-resource';
export { type TwilioWebhookDelivery, type TwilioOutcome } from './mock-platforms/twilio-webhooks';
export { twilioSignature } from './mock-platforms/twilio-signature';
export { MockWebhookReceiver, type MockWebhookReceiverOptions, type ReceivedWebhook } from './mock-platforms/webhook-receiver';
export { standardWebhookSignature, verifyStandardWebhook, STANDARD_WEBHOOK_TOLERANCE_SECONDS, type StandardWebhookFailure, type StandardWebhookHeaders } from './mock-platforms/standard-webhooks';
export { MockPipedrive, type MockPipedriveOptions, type PipedriveWrite } from './mock-platforms/pipedrive-api';
export { PipedrivePersonStore, PIPEDRIVE_SEARCH_FIELDS, type PipedrivePerson, type PipedriveContact, type PipedriveSearchField } from './mock-platforms/pipedrive-persons';
export { startMockDestinations, DEFAULT_MOCK_DESTINATIONS_PORT, type MockDestinations, type MockDestinationsOptions } from './mock-platforms/console/mock-destinations';
export { type PlatformOverview } from './mock-platforms/console/control-server';
export { type DestinationConnection, MOCK_WEBHOOK_SECRET } from './mock-platforms/console/platforms';
export { type EventSummary } from './mock-platforms/console/summaries';
export { parseFaultRequest, type FaultRequest } from './mock-platforms/console/fault-request';
