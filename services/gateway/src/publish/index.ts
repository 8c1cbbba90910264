/** The gateway's way into Kafka: the EventPublisher interface and its kafkajs implementation. */
export type { EventPublisher } from './event-publisher';
export { createKafkaPublisher, DEFAULT_RAW_TOPIC, DEFAULT_PUBLISH_TIMEOUT_MS, type KafkaPublisher, type KafkaPublisherOptions } from './kafka-publisher';
export { PublishUnavailableError, isPublishUnavailable, publishErrors, DEFAULT_RETRY_AFTER_SECONDS, type PublishErrorCode, type PublishUnavailableCode } from './publish-errors';
export type { PublishObserver, PublishSample, SendSample, SendOutcome } from './publish-observer';
