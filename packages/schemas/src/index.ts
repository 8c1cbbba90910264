/**
 * @stratum/schemas: the TypeScript types of every topic's records (generated from schemas/*.avsc)
 * and typed Avro serde in the Confluent wire format.
 */
export * from './generated/types';
export { latestSchemas, type SchemaName, type SchemaTypes } from './generated/schemas';
export { AvroSerde, type AvroSerdeOptions } from './serde/avro-serde';
export { confluentRegistryClient, type RegistryClient } from './serde/registry-client';
export { memoryRegistryClient, type MemoryRegistryClient } from './serde/memory-registry';
export { SerdeError, SERDE_ERROR_CODES, type SerdeErrorCode } from './serde/errors';
export { MAGIC_BYTE, HEADER_SIZE, readSchemaId } from './serde/wire-format';
export { createSerde, createReader, isSchemaName } from './serde/create-serde';
export { exampleRecords } from './examples';
