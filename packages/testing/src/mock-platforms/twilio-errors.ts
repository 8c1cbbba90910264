/**
 * Twilio REST error bodies: { "code", "message", "more_info", "status" }. Codes used here (each
 * documented at twilio.com/docs/api/errors/<code>): 20003 authenticate, 20404 not found,
 * 20429 too many requests, 21211 invalid To, 21212 invalid From, 21266 To equals From,
 * 21602 body required, 21603 From required, 21604 To required, 21609 invalid StatusCallback,
 * 21610 unsubscribed recipient, 21617 body over 1600 characters.
 */

/** What is wrong with a Twilio request, with a stable reason for the recording. */
export interface TwilioProblem {
  status: number;
  code: number;
  /** Stable code for `recording.rejected[].reason`. */
  reason: string;
  message: string;
}

/** Twilio's error body for a problem. */
export function twilioErrorBody(problem: Pick<TwilioProblem, 'status' | 'code' | 'message'>): Record<string, unknown> {
  return { code: problem.code, message: problem.message, more_info: `https://www.twilio.com/docs/errors/${problem.code}`, status: problem.status };
}
