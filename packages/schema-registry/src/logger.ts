/** The registry's logging port (same shape as the broker's): the host passes its own or none. */
import { logLevel, type logCreator } from 'kafkajs';

export interface RegistryLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const noop = () => undefined;

/** Discards everything. */
export const silentLogger: RegistryLogger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * Routes kafkajs's own log lines into the registry logger. kafkajs logs broker outages and
 * retries at ERROR although the registry recovers from them, so they arrive here as warnings;
 * its WARN lines (e.g. about the finite retries the registry sets on purpose) as debug.
 */
export function kafkajsLogCreator(logger: RegistryLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, stack: _stack, ...fields } = log;
      const line = `kafkajs ${namespace}: ${message}`;
      if (level <= logLevel.ERROR) logger.warn(line, fields);
      else logger.debug(line, fields);
    };
}
