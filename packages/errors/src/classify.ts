/**
 * Retry rule (CONVENTIONS.md): retriable → back off with jitter and try again; not retriable →
 * quarantine/DLQ with the reason; unknown → crash and let the supervisor restart.
 * This module decides which of the three a thrown value is, for our own errors and for the
 * foreign ones the runtime meets (kafkajs, node-postgres, sockets).
 */
import { StratumError } from './stratum-error';

export type ErrorClass = 'retriable' | 'permanent' | 'unknown';

/** Socket-level failures: the peer is down or slow, not wrong. */
const TRANSIENT_SYSCALL_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * PostgreSQL SQLSTATE classes and codes that mean "try again": connection exceptions (08),
 * insufficient resources (53), operator intervention such as admin shutdown (57P01-57P03),
 * serialization failure and deadlock (40001, 40P01).
 */
function isTransientSqlState(code: string): boolean {
  return code.startsWith('08') || code.startsWith('53') || ['57P01', '57P02', '57P03', '40001', '40P01'].includes(code);
}

function field(err: object, key: string): unknown {
  return (err as Record<string, unknown>)[key];
}

/** Classifies a thrown value by its code or flags, never by its message text. */
export function classifyError(err: unknown): ErrorClass {
  if (err instanceof StratumError) return err.retriable ? 'retriable' : 'permanent';
  if (typeof err !== 'object' || err === null) return 'unknown';
  // kafkajs errors carry `retriable`; KafkaJSNumberOfRetriesExceeded wraps a retriable cause.
  const name = field(err, 'name');
  if (typeof name === 'string' && name.startsWith('KafkaJS')) {
    if (field(err, 'retriable') === true) return 'retriable';
    if (name === 'KafkaJSNumberOfRetriesExceeded' || name === 'KafkaJSConnectionError' || name === 'KafkaJSRequestTimeoutError') return 'retriable';
    const cause = field(err, 'cause') ?? field(err, 'originalError');
    if (cause && classifyError(cause) === 'retriable') return 'retriable';
    return 'unknown';
  }
  const code = field(err, 'code');
  if (typeof code === 'string') {
    if (TRANSIENT_SYSCALL_CODES.has(code)) return 'retriable';
    // node-postgres: five-character SQLSTATE in `code`, with `severity` set.
    if (/^[0-9A-Z]{5}$/.test(code) && field(err, 'severity') !== undefined) return isTransientSqlState(code) ? 'retriable' : 'unknown';
  }
  const cause = field(err, 'cause');
  if (cause !== undefined && cause !== err) return classifyError(cause);
  return 'unknown';
}

/** Shorthand: whether a retry can help. */
export function isRetriable(err: unknown): boolean {
  return classifyError(err) === 'retriable';
}

/** A one-line description of any thrown value, for logs: `[code] message`. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = field(err, 'code');
    return `${typeof code === 'string' ? `[${code}] ` : ''}${err.name}: ${err.message}`;
  }
  return String(err);
}
