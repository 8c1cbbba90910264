/**
 * The body of `POST /{name}/faults`: one FaultSchedule call, as JSON, so a person with curl can
 * make a mock fail while the platform runs:
 *
 *   {"failForMs": 30000, "status": 503}            every request fails for 30 s (an outage)
 *   {"failNext": 2, "status": 500}                 the next 2 requests fail
 *   {"rateLimitNext": 1, "retryAfterSeconds": 3}   the next request is a 429 with Retry-After: 3
 *   {"hangNext": 1}  {"resetNext": 1}  {"delayNext": 1, "ms": 5000}
 *
 * Checked strictly: exactly one of the kinds, no unknown fields, counts positive integers.
 */
import type { FaultSchedule } from '../faults';
import { isJsonObject } from '../request-body';

/** A fault to apply, and how to say what it does. */
export interface FaultRequest {
  readonly description: string;
  apply(schedule: FaultSchedule): void;
}

export type ParsedFaultRequest = { ok: true; fault: FaultRequest } | { ok: false; problem: string };

const KINDS = ['failForMs', 'failNext', 'rateLimitNext', 'hangNext', 'resetNext', 'delayNext'] as const;
type Kind = (typeof KINDS)[number];
/** The fields each kind may have besides itself. */
const EXTRA: Readonly<Record<Kind, readonly string[]>> = {
  failForMs: ['status'],
  failNext: ['status'],
  rateLimitNext: ['retryAfterSeconds'],
  hangNext: [],
  resetNext: [],
  delayNext: ['ms'],
};

function positiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

export function parseFaultRequest(body: unknown): ParsedFaultRequest {
  if (!isJsonObject(body)) return { ok: false, problem: 'the body must be a JSON object such as {"failForMs":30000,"status":503}' };
  const kinds = KINDS.filter((k) => k in body);
  if (kinds.length !== 1) return { ok: false, problem: `give exactly one of ${KINDS.join(', ')}${kinds.length > 1 ? ` (got ${kinds.join(', ')})` : ''}` };
  const kind = kinds[0]!;
  const unknown = Object.keys(body).filter((key) => key !== kind && !EXTRA[kind].includes(key));
  if (unknown.length > 0) return { ok: false, problem: `${kind} does not take ${unknown.join(', ')} (it takes ${[kind, ...EXTRA[kind]].join(', ')})` };
  const count = body[kind];
  if (!positiveInteger(count)) return { ok: false, problem: `${kind} must be a positive integer, got ${JSON.stringify(count)}` };
  const status = body.status ?? (kind === 'failForMs' ? 503 : 500);
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 500 || status > 599) return { ok: false, problem: `status must be a 5xx status, got ${JSON.stringify(body.status)}` };
  switch (kind) {
    case 'failForMs':
      return ok(`every request answers ${status} for ${count} ms`, (s) => s.failFor(count, status));
    case 'failNext':
      return ok(`the next ${count} request(s) answer ${status}`, (s) => s.failNext(count, status));
    case 'rateLimitNext': {
      const seconds = body.retryAfterSeconds ?? 1;
      if (!positiveInteger(seconds)) return { ok: false, problem: `retryAfterSeconds must be a positive integer, got ${JSON.stringify(seconds)}` };
      return ok(`the next ${count} request(s) answer 429 with Retry-After: ${seconds}`, (s) => s.rateLimitNext(count, seconds));
    }
    case 'hangNext':
      return ok(`the next ${count} request(s) never get an answer`, (s) => s.hangNext(count));
    case 'resetNext':
      return ok(`the next ${count} request(s) have their connection reset`, (s) => s.resetNext(count));
    case 'delayNext': {
      const ms = body.ms;
      if (!positiveInteger(ms)) return { ok: false, problem: `delayNext needs ms, a positive integer, got ${JSON.stringify(ms)}` };
      return ok(`the next ${count} request(s) are answered after ${ms} ms`, (s) => s.delayNext(count, ms));
    }
  }
}

function ok(description: string, apply: (schedule: FaultSchedule) => void): ParsedFaultRequest {
  return { ok: true, fault: { description, apply } };
}
