/**
 * Meta Graph API error bodies:
 *   { "error": { "message", "type", "code", "error_subcode"?, "is_transient",
 *                "error_user_title"?, "error_user_msg"?, "fbtrace_id" } }
 * Codes used here: 104 (no access token), 190 (invalid access token), 100 (invalid parameter;
 * subcode 33 = unknown object, 2804003 = event older than 7 days, 2804050 = too little customer
 * information), 2500 (unknown path), 2 (transient service error), 4 (application request limit).
 * Sources: developers.facebook.com/docs/graph-api/guides/error-handling; the 2804003 and 2804050
 * bodies are as Meta returns them (recorded in rudder-transformer's and other clients' test fixtures).
 */
import { randomBytes } from 'node:crypto';

/** What is wrong with a Conversions API request, in Meta's terms plus a stable reason for the recording. */
export interface MetaProblem {
  /** Stable code for `recording.rejected[].reason`, e.g. `event_time_too_old`. */
  reason: string;
  code: number;
  subcode?: number;
  type?: 'OAuthException' | 'GraphMethodException';
  message: string;
  userTitle?: string;
  userMsg?: string;
}

/** Meta's error body for a problem. */
export function metaErrorBody(problem: MetaProblem, transient = false): { error: Record<string, unknown> } {
  return {
    error: {
      message: problem.message,
      type: problem.type ?? 'OAuthException',
      code: problem.code,
      ...(problem.subcode === undefined ? {} : { error_subcode: problem.subcode }),
      is_transient: transient,
      ...(problem.userTitle === undefined ? {} : { error_user_title: problem.userTitle }),
      ...(problem.userMsg === undefined ? {} : { error_user_msg: problem.userMsg }),
      fbtrace_id: newFbtraceId(),
    },
  };
}

/** An id like Meta's `fbtrace_id`, which support asks for and which clients log. */
export function newFbtraceId(): string {
  return randomBytes(16).toString('base64url').slice(0, 23);
}

/** A parameter Meta's Graph layer finds missing, in its standard wording. */
export function missingParameter(reason: string, name: string): MetaProblem {
  return { reason, code: 100, message: `(#100) The parameter ${name} is required` };
}

/** A field of one event that Meta refuses as an invalid parameter. */
export function invalidEventParameter(reason: string, index: number, userTitle: string, detail: string): MetaProblem {
  return { reason, code: 100, message: 'Invalid parameter', userTitle, userMsg: `Event at index ${index}: ${detail}` };
}
