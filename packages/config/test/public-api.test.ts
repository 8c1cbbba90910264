// The package as a service sees it: through its entry point, the way docs/configuration.md shows.
import * as config from '../src/index';
import { booleanFlag, ConfigError, defineConfig, kafkaFragment, loadConfig, observabilityFragment, schemaRegistryFragment, stageFragment } from '../src/index';

it('exports exactly the documented API', () => {
  expect(Object.keys(config).sort()).toEqual(
    [
      'ConfigError',
      'LOG_LEVELS',
      'EX_CONFIG',
      'SECRET_NAME',
      'booleanFlag',
      'brokerList',
      'configErrorCodes',
      'credentialKeysFragment',
      'databaseFragment',
      'defineConfig',
      'describeConfig',
      'durationMs',
      'identifier',
      'integer',
      'kafkaFragment',
      'listOf',
      'loadConfig',
      'loadConfigOrExit',
      'namedKeys',
      'observabilityFragment',
      'oneOf',
      'port',
      'processEnv',
      'redactConfig',
      'schemaRegistryFragment',
      'secret',
      'stageFragment',
      'url',
    ].sort(),
  );
});

const ingestConfig = defineConfig({
  ...kafkaFragment,
  ...schemaRegistryFragment,
  ...observabilityFragment,
  ...stageFragment,
  INGEST_STRICT_TIMESTAMPS: booleanFlag().default(false),
});

it('loads a service config built from the fragments, typed', () => {
  const loaded = loadConfig(ingestConfig, {
    KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092',
    KAFKA_CLIENT_ID: 'ingest',
    SCHEMA_REGISTRY_URL: 'http://registry:8081',
    SERVICE_NAME: 'ingest',
    STAGE_GROUP_ID: 'stratum.ingest',
    INGEST_STRICT_TIMESTAMPS: '0',
  });
  const brokers: readonly string[] = loaded.KAFKA_BROKERS;
  const port: number = loaded.METRICS_PORT;
  const strict: boolean = loaded.INGEST_STRICT_TIMESTAMPS;
  expect([brokers, port, strict, loaded.STAGE_BATCH_SIZE]).toEqual([['kafka-0:9092', 'kafka-1:9092'], 9464, false, 500]);
});

it('fails at start with every problem of the environment', () => {
  expect(() => loadConfig(ingestConfig, { METRICS_PORT: 'abc' })).toThrow(ConfigError);
  expect(() => loadConfig(ingestConfig, { METRICS_PORT: 'abc' })).toThrow(
    [
      'invalid configuration (6 problems):',
      '  KAFKA_BROKERS: required (comma-separated host:port list)',
      '  KAFKA_CLIENT_ID: required (a Kafka client id, usually the service name)',
      '  SCHEMA_REGISTRY_URL: required (URL with http:// or https://)',
      '  METRICS_PORT: "abc" is not a port (0-65535)',
      '  SERVICE_NAME: required (the service name, as logs and stratum_build_info report it)',
      '  STAGE_GROUP_ID: required (the Kafka consumer group id of this stage)',
    ].join('\n'),
  );
});
