import { classifyError, describeError } from './classify';
import { StratumError, defineErrorCodes } from './stratum-error';

const errors = defineErrorCodes({
  broker_down: { retriable: true, description: 'Kafka is unreachable' },
  bad_record: { retriable: false, description: 'the record does not decode' },
});

it('takes retriable from the code table and keeps cause and details', () => {
  const cause = new Error('boom');
  const e = errors.error('broker_down', 'no broker', { cause, details: { brokers: 'a:1' } });
  expect(e).toBeInstanceOf(StratumError);
  expect([e.code, e.retriable, e.cause, e.details]).toEqual(['broker_down', true, cause, { brokers: 'a:1' }]);
  expect(errors.error('bad_record', 'x').retriable).toBe(false);
  expect(errors.is(e, 'broker_down')).toBe(true);
  expect(errors.is(e, 'bad_record')).toBe(false);
  expect(errors.is(new Error('x'))).toBe(false);
});

it.each([
  ['our retriable error', errors.error('broker_down', 'x'), 'retriable'],
  ['our permanent error', errors.error('bad_record', 'x'), 'permanent'],
  ['a kafkajs retriable error', Object.assign(new Error('x'), { name: 'KafkaJSProtocolError', retriable: true }), 'retriable'],
  ['kafkajs giving up after retries', Object.assign(new Error('x'), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: false }), 'retriable'],
  ['a kafkajs non-retriable error', Object.assign(new Error('x'), { name: 'KafkaJSProtocolError', retriable: false }), 'unknown'],
  ['a refused socket', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'retriable'],
  ['PostgreSQL admin shutdown', Object.assign(new Error('x'), { code: '57P01', severity: 'FATAL' }), 'retriable'],
  ['PostgreSQL connection failure class 08', Object.assign(new Error('x'), { code: '08006', severity: 'FATAL' }), 'retriable'],
  ['PostgreSQL serialization failure', Object.assign(new Error('x'), { code: '40001', severity: 'ERROR' }), 'retriable'],
  ['PostgreSQL syntax error (a bug)', Object.assign(new Error('x'), { code: '42601', severity: 'ERROR' }), 'unknown'],
  ['a retriable cause under a wrapper', new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }), 'retriable'],
  ['a TypeError (a bug)', new TypeError('undefined is not a function'), 'unknown'],
  ['a thrown string', 'oops', 'unknown'],
] as const)('%s → %s', (_label, err, expected) => {
  expect(classifyError(err)).toBe(expected);
});

it('describes errors with their code', () => {
  expect(describeError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe('[ECONNREFUSED] Error: refused');
  expect(describeError(errors.error('bad_record', 'no magic byte'))).toBe('[bad_record] StratumError: no magic byte');
});
