/**
 * @stratum/config: each service's zod-validated config, parsed once from an injected environment
 * and frozen; the shared variable fragments; and `processEnv()`, the only reader of process.env.
 */
export {
  defineConfig,
  loadConfig,
  describeConfig,
  redactConfig,
  type ConfigDefinition,
  type ConfigOf,
  type ConfigShape,
  type DeepReadonly,
  type Env,
  type VariableDoc,
} from './define';
export { processEnv } from './process-env';
export { loadConfigOrExit, EX_CONFIG } from './load-or-exit';
export { port, integer, booleanFlag, durationMs, oneOf, identifier, brokerList, listOf, url, namedKeys, type NamedKey } from './values';
export { secret, SECRET_NAME } from './schema-info';
export {
  kafkaFragment,
  schemaRegistryFragment,
  observabilityFragment,
  stageFragment,
  databaseFragment,
  credentialKeysFragment,
  LOG_LEVELS,
  type LogLevel,
} from './fragments';
export { ConfigError, configErrorCodes, type ConfigErrorCode, type ConfigProblem } from './errors';
