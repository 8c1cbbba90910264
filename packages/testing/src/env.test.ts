import { databaseUrlFrom, externalKafkaFrom, kafkaModeFrom, redactPassword } from './env';

test('the Kafka mode defaults to embedded, also when STRATUM_TEST_KAFKA is empty', () => {
  expect(kafkaModeFrom({})).toBe('embedded');
  expect(kafkaModeFrom({ STRATUM_TEST_KAFKA: ' ' })).toBe('embedded');
  expect(kafkaModeFrom({ STRATUM_TEST_KAFKA: 'external' })).toBe('external');
  expect(kafkaModeFrom({ STRATUM_TEST_KAFKA: 'testcontainers' })).toBe('testcontainers');
});

test('an unknown mode is an error listing the modes', () => {
  expect(() => kafkaModeFrom({ STRATUM_TEST_KAFKA: 'docker' })).toThrow(
    expect.objectContaining({ code: 'invalid_env', message: 'STRATUM_TEST_KAFKA="docker" is not a mode; use one of embedded, external, testcontainers' }),
  );
});

test('external mode reads a comma list of brokers and the registry URL', () => {
  expect(externalKafkaFrom({ KAFKA_BROKERS: 'k1:9092, k2:9093,', SCHEMA_REGISTRY_URL: 'http://sr:8081/' })).toEqual({ brokers: ['k1:9092', 'k2:9093'], registryUrl: 'http://sr:8081' });
});

test('external mode names the missing variable', () => {
  expect(() => externalKafkaFrom({ SCHEMA_REGISTRY_URL: 'http://sr:8081' })).toThrow(
    expect.objectContaining({ code: 'missing_env', message: expect.stringMatching(/but KAFKA_BROKERS \(comma-separated host:port list\) is not set$/) }),
  );
  expect(() => externalKafkaFrom({ KAFKA_BROKERS: 'k:9092' })).toThrow(expect.objectContaining({ code: 'missing_env', message: expect.stringMatching(/but SCHEMA_REGISTRY_URL .* is not set$/) }));
  expect(() => externalKafkaFrom({})).toThrow(expect.objectContaining({ message: expect.stringMatching(/KAFKA_BROKERS .* and SCHEMA_REGISTRY_URL .* are not set$/) }));
});

test('external mode refuses brokers without a port and a registry that is not a URL', () => {
  expect(() => externalKafkaFrom({ KAFKA_BROKERS: 'kafka', SCHEMA_REGISTRY_URL: 'http://sr:8081' })).toThrow(expect.objectContaining({ code: 'invalid_env', message: expect.stringContaining('not understood: kafka') }));
  expect(() => externalKafkaFrom({ KAFKA_BROKERS: 'k:9092', SCHEMA_REGISTRY_URL: 'sr:8081' })).toThrow(expect.objectContaining({ code: 'invalid_env' }));
});

test('DATABASE_URL is used when set and must be a postgres URL; its password never reaches a message', () => {
  expect(databaseUrlFrom({})).toBeNull();
  expect(databaseUrlFrom({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' })).toBe('postgres://postgres@127.0.0.1:5432/test');
  expect(() => databaseUrlFrom({ DATABASE_URL: 'mysql://u:secret@h/db' })).toThrow(expect.objectContaining({ code: 'invalid_env', message: expect.not.stringContaining('secret') }));
  expect(redactPassword('postgres://u:secret@h:5432/db')).toBe('postgres://u:***@h:5432/db');
  expect(redactPassword('postgres://u@h/db')).toBe('postgres://u@h/db');
});
