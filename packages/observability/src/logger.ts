/**
 * Structured logs: one JSON object per line on stdout, for whatever ships container logs.
 *
 * Convention (CONVENTIONS.md): bind context once with a child logger instead of repeating it in
 * every call, per batch or per record, using the keys of `RecordLogBindings`:
 *
 *   const log = logger.child({ topic, partition, offset } satisfies RecordLogBindings);
 *   log.warn({ err, tenantId, messageId }, 'quarantined');
 *
 * Errors go under `err` so the serializer keeps their code, retriable flag, details and cause.
 */
import { hostname } from 'node:os';
import pino from 'pino';

export type Logger = pino.Logger;

/** pino's levels, most severe first (the same list as LOG_LEVEL in @stratum/config). */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Where log lines go: anything with `write(line)`. Defaults to stdout. */
export type LogDestination = pino.DestinationStream;

export interface LoggerOptions {
  /** The service name, bound to every line as `service`. */
  service: string;
  level: LogLevel;
  destination?: LogDestination;
}

/**
 * The keys to bind on child loggers, so every service names context the same way and log
 * queries work across them. Offsets are strings: Kafka offsets are 64-bit.
 */
export interface RecordLogBindings {
  requestId?: string;
  tenantId?: string;
  messageId?: string;
  topic?: string;
  partition?: number;
  offset?: string;
}

/** A JSON-lines logger with `service`, ISO `time`, string `level` and the `err` serializer. */
export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level,
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names rather than pino's numbers: what Loki, Elastic and Cloud Logging filter on.
    formatters: { level: (label) => ({ level: label }) },
    // errWithCause keeps each cause as an object with its own code (ECONNREFUSED under a
    // StratumError), which classifyError and operators both need; pino's default flattens it.
    serializers: { err: pino.stdSerializers.errWithCause },
  };
  return options.destination === undefined ? pino(pinoOptions) : pino(pinoOptions, options.destination);
}

/** A logger that writes nothing, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
