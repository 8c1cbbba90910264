/**
 * X-Request-Id: a caller's (or its load balancer's) id is kept when it is sane, so one id follows
 * the request through their logs and ours; anything else is replaced, because the id lands in log
 * lines and in the response.
 */
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
export const MAX_REQUEST_ID_LENGTH = 128;

/** Letters, digits and `._:-`: covers UUIDs, ULIDs, AWS/GCP trace ids; nothing that needs escaping. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's id when it is sane, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}
