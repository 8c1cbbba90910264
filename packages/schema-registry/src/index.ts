/** @stratum/schema-registry: an embedded Confluent-compatible schema registry stored in a compacted Kafka topic. */
export { startSchemaRegistry, type SchemaRegistryOptions, type RunningSchemaRegistry } from './registry';
export { REGISTRY_ERRORS, RegistryError, type RegistryErrorName } from './errors';
export { COMPATIBILITY_LEVELS, type CompatibilityLevel } from './compatibility';
export { silentLogger, type RegistryLogger } from './logger';
