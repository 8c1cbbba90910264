/** Flag parsers shared by the commands: each refuses a bad value with a message naming it. */
import { InvalidArgumentError } from 'commander';

/** A TCP port, 0 meaning "any free port". */
export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`port must be an integer 0–65535, got "${value}"`);
  return n;
}

/** An integer >= 1. */
export function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be a positive integer, got "${value}"`);
  return n;
}

/** A positive number of milliseconds. */
export function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be a positive number of milliseconds, got "${value}"`);
  return n;
}

const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
type DurationUnit = keyof typeof DURATION_UNITS;

/** 90, 90s, 15m, 24h, 7d → seconds. */
export function duration(value: string): number {
  const match = /^(\d+)\s*(s|m|h|d)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`must be a duration such as 0, 90s, 15m, 24h or 7d, got "${value}"`);
  return Number(match[1]) * DURATION_UNITS[(match[2] ?? 's').toLowerCase() as DurationUnit];
}

/** Seconds in the largest unit that divides them exactly, as `duration` reads it back: 604800 → 7d, 5400 → 90m. */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds > 0 && seconds % DURATION_UNITS[unit] === 0) return `${seconds / DURATION_UNITS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

/** Kafka bootstrap servers: host:port[,host:port...]. */
export function brokerList(value: string): string[] {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const b of brokers) {
    const match = /^(.+):(\d+)$/.exec(b);
    const n = Number(match?.[2]);
    if (!match || n < 1 || n > 65535) throw new InvalidArgumentError(`expected host:port[,host:port...], got "${b}"`);
  }
  if (!brokers.length) throw new InvalidArgumentError('expected host:port[,host:port...]');
  return brokers;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export function logLevel(value: string): LogLevel {
  if (value !== 'debug' && value !== 'info' && value !== 'warn' && value !== 'error') throw new InvalidArgumentError(`must be debug, info, warn or error, got "${value}"`);
  return value;
}
