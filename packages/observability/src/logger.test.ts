import { createLogger, silentLogger, type LogDestination, type RecordLogBindings } from './logger';

function capture(): { destination: LogDestination; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  return {
    destination: { write: (line: string) => void written.push(line) },
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

it('writes one JSON object per line with service, ISO time and the level name', () => {
  const out = capture();
  const logger = createLogger({ service: 'ingest', level: 'info', destination: out.destination });
  logger.info({ count: 3 }, 'batch done');
  logger.debug('not at info');
  const [line, ...rest] = out.lines();
  expect(rest).toEqual([]);
  expect(line).toMatchObject({ level: 'info', service: 'ingest', msg: 'batch done', count: 3, pid: process.pid });
  expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
});

it('binds record context on child loggers', () => {
  const out = capture();
  const logger = createLogger({ service: 'dedup', level: 'debug', destination: out.destination });
  const bindings: RecordLogBindings = { topic: 'events.valid', partition: 3, offset: '42', tenantId: 't1', messageId: 'm1' };
  logger.child(bindings).debug('dropped duplicate');
  expect(out.lines()[0]).toMatchObject({ ...bindings, service: 'dedup', level: 'debug', msg: 'dropped duplicate' });
});

it('serializes err with its code, retriable flag, details and cause (with the cause code)', () => {
  const out = capture();
  const logger = createLogger({ service: 'ingest', level: 'info', destination: out.destination });
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' });
  // The shape of a StratumError (@stratum/errors): own code, retriable and details, and a cause.
  class StratumError extends Error {
    readonly code = 'broker_down';
    readonly retriable = true;
    readonly details = { brokers: 'a:1' };
  }
  const err = new StratumError('no broker', { cause });
  logger.error({ err }, 'produce failed');
  const logged = out.lines()[0]!.err as Record<string, unknown>;
  expect(logged).toMatchObject({ type: 'StratumError', message: 'no broker', code: 'broker_down', retriable: true, details: { brokers: 'a:1' } });
  expect(logged.cause).toMatchObject({ type: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9092' });
  expect(typeof logged.stack).toBe('string');
});

it('has a silent logger for tests', () => {
  const logger = silentLogger();
  expect(logger.level).toBe('silent');
  expect(() => logger.child({ topic: 'x' }).error('nothing')).not.toThrow();
});
