import { z } from 'zod';
import { StratumError, classifyError } from '@stratum/errors';
import { defineConfig, describeConfig, loadConfig, redactConfig } from './define';
import { ConfigError, configErrorCodes } from './errors';
import { kafkaFragment, observabilityFragment } from './fragments';
import { secret } from './schema-info';
import { booleanFlag, port, url } from './values';

const service = defineConfig({ ...kafkaFragment, ...observabilityFragment, FEATURE_X: booleanFlag().default(false) });
const validEnv = { KAFKA_BROKERS: 'a:9092,b:9092', KAFKA_CLIENT_ID: 'ingest', SERVICE_NAME: 'ingest' };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n').slice(1).map((line) => line.trim());
    throw err;
  }
  throw new Error('expected a ConfigError');
}

it('lists every problem at once, one per line, naming the variable and what is expected', () => {
  const lines = problemsOf(() => loadConfig(service, { METRICS_PORT: 'abc', LOG_LEVEL: 'loud', FEATURE_X: 'nope' }));
  expect(lines).toEqual([
    'KAFKA_BROKERS: required (comma-separated host:port list)',
    'KAFKA_CLIENT_ID: required (a Kafka client id, usually the service name)',
    'LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace',
    'METRICS_PORT: "abc" is not a port (0-65535)',
    'SERVICE_NAME: required (the service name, as logs and stratum_build_info report it)',
    'FEATURE_X: "nope" is not a boolean (true, false, 1 or 0)',
  ]);
});

it('throws a permanent StratumError with code invalid_config and the problems as data', () => {
  let caught: unknown;
  try {
    loadConfig(service, { ...validEnv, METRICS_PORT: '70000' });
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StratumError);
  expect(configErrorCodes.is(caught, 'invalid_config')).toBe(true);
  expect(classifyError(caught)).toBe('permanent');
  const error = caught as ConfigError;
  expect(error.message).toBe('invalid configuration (1 problem):\n  METRICS_PORT: "70000" is not a port (0-65535)');
  expect(error.problems).toEqual([{ variable: 'METRICS_PORT', message: '"70000" is not a port (0-65535)' }]);
});

it('applies defaults and coerces text to typed values', () => {
  const config = loadConfig(service, { ...validEnv, FEATURE_X: 'true' });
  expect(config).toEqual({
    KAFKA_BROKERS: ['a:9092', 'b:9092'],
    KAFKA_CLIENT_ID: 'ingest',
    LOG_LEVEL: 'info',
    METRICS_PORT: 9464,
    SERVICE_NAME: 'ingest',
    FEATURE_X: true,
  });
});

it('treats empty and blank values as unset, so defaults apply and required ones are reported', () => {
  const config = loadConfig(service, { ...validEnv, METRICS_PORT: '', LOG_LEVEL: '  ' });
  expect([config.METRICS_PORT, config.LOG_LEVEL]).toEqual([9464, 'info']);
  expect(problemsOf(() => loadConfig(service, { ...validEnv, KAFKA_BROKERS: '' }))).toEqual(['KAFKA_BROKERS: required (comma-separated host:port list)']);
});

it('returns a deeply frozen object', () => {
  const config = loadConfig(service, validEnv);
  expect(Object.isFrozen(config)).toBe(true);
  expect(Object.isFrozen(config.KAFKA_BROKERS)).toBe(true);
  expect(() => {
    (config as { METRICS_PORT: number }).METRICS_PORT = 1;
  }).toThrow(TypeError);
  expect(() => (config.KAFKA_BROKERS as string[]).push('c:1')).toThrow(TypeError);
});

it('ignores variables outside the shape', () => {
  const config = loadConfig(service, { ...validEnv, PATH: '/usr/bin', HOME: '/root', UNRELATED_PORT: 'not a port' });
  expect(Object.keys(config)).toEqual(Object.keys(service.shape));
});

describe('secrets', () => {
  const definition = defineConfig({
    API_TOKEN: z.string().min(32),
    DB_PASSWORD: port(),
    SIGNING_KEY: z.string().refine(() => false, { error: (issue) => `rejects ${String(issue.input)}` }),
    DATABASE_URL: secret(url({ protocols: ['postgres'] }).optional()),
    CLIENT_SECRET: z.string().regex(/^[a-f0-9]+$/),
  });
  const env = {
    API_TOKEN: 'tok-hunter2',
    DB_PASSWORD: 'hunter2',
    SIGNING_KEY: 'sk-hunter2',
    DATABASE_URL: 'mysql://app:hunter2@db/app',
    CLIENT_SECRET: 'hunter2!',
  };

  it('are never echoed in messages, even by a hand-written message that copies the input', () => {
    let message = '';
    try {
      loadConfig(definition, env);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('hunter2');
    expect(message.split('\n').slice(1).map((line) => line.trim())).toEqual([
      'API_TOKEN: value (hidden) is too short (at least 32 characters)',
      'DB_PASSWORD: value (hidden) is not a port (0-65535)',
      'SIGNING_KEY: value (hidden) rejects (hidden)',
      'DATABASE_URL: value (hidden) is not a URL with postgres://',
      'CLIENT_SECRET: value (hidden) does not match /^[a-f0-9]+$/',
    ]);
  });

  it('are hidden by redactConfig, which is safe to log', () => {
    const withToken = defineConfig({ API_TOKEN: z.string(), PORT: port(), DATABASE_URL: secret(z.string().optional()), REGISTRY: url({ protocols: ['https'] }) });
    const config = loadConfig(withToken, { API_TOKEN: 'hunter2', PORT: '80', REGISTRY: 'https://svc:hunter2@registry:8081' });
    expect(redactConfig(withToken, config)).toEqual({ API_TOKEN: '(hidden)', PORT: 80, DATABASE_URL: undefined, REGISTRY: 'https://svc:(hidden)@registry:8081' });
  });

  it('hides a password inside a URL even when the variable is not secret', () => {
    const definition = defineConfig({ SCHEMA_REGISTRY_URL: url({ protocols: ['https'] }) });
    expect(problemsOf(() => loadConfig(definition, { SCHEMA_REGISTRY_URL: 'http://svc:hunter2@registry:8081' }))).toEqual([
      'SCHEMA_REGISTRY_URL: "http://svc:(hidden)@registry:8081" is not a URL with https://',
    ]);
  });
});

it('phrases plain zod failures as predicates on the value', () => {
  const definition = defineConfig({ MODE: z.enum(['a', 'b']), NAME: z.string().max(3), RATIO: z.string().regex(/^\d+$/) });
  expect(problemsOf(() => loadConfig(definition, { MODE: 'c', NAME: 'long', RATIO: 'x' }))).toEqual([
    'MODE: "c" is not one of a, b',
    'NAME: "long" is too long (at most 3 characters)',
    'RATIO: "x" does not match /^\\d+$/',
  ]);
  expect(problemsOf(() => loadConfig(definition, {}))).toEqual(['MODE: required', 'NAME: required', 'RATIO: required']);
});

it('cuts long values in messages', () => {
  const [line] = problemsOf(() => loadConfig(defineConfig({ P: port() }), { P: 'x'.repeat(500) }));
  expect(line).toBe(`P: "${'x'.repeat(60)}…" is not a port (0-65535)`);
});

it('describes each variable for docs: expected form, default, required, secret', () => {
  expect(describeConfig(defineConfig({ ...observabilityFragment, DATABASE_URL: secret(url({ protocols: ['postgres'] }).optional()) }))).toEqual([
    { name: 'LOG_LEVEL', expected: 'one of fatal, error, warn, info, debug, trace', required: false, default: 'info', secret: false },
    { name: 'METRICS_PORT', expected: 'a TCP port, 0-65535', required: false, default: '9464', secret: false },
    { name: 'SERVICE_NAME', expected: 'the service name, as logs and stratum_build_info report it', required: true, default: undefined, secret: false },
    { name: 'DATABASE_URL', expected: 'URL with postgres://', required: false, default: undefined, secret: true },
  ]);
});
