/** @stratum/broker: a single-node, Kafka-wire-compatible broker for the embedded default and tests. */
export { startBroker, type StartBrokerOptions, type RunningBroker } from './server/server';
export { DEFAULT_BROKER_CONFIG, type BrokerConfig } from './config';
export { jsonLogger, silentLogger, type BrokerLogger } from './logger';
export type { FlushPolicy } from './storage/flusher';
