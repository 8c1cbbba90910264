/**
 * The state of an outbound Twilio message, driven by status callbacks
 * (twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks):
 *
 *   accepted | scheduled → queued → sending → sent → delivered → read
 *                                      └──────────→ failed | undelivered
 *   scheduled → canceled
 *
 * Callbacks arrive out of order (separate HTTP requests, retried independently), so the state only
 * ever moves forward along one total order; a late `sent` after `delivered` is ignored. The order
 * puts positive evidence last: a `delivered` receipt outranks an earlier `undelivered`, and `read`
 * (WhatsApp, RCS) outranks `delivered`. Whatever order the callbacks come in, the state ends at
 * the highest status seen.
 */

/** Every status, lowest rank first. */
export const MESSAGE_STATES = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'canceled', 'failed', 'undelivered', 'partially_delivered', 'delivered', 'read'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

const RANK: ReadonlyMap<string, number> = new Map(MESSAGE_STATES.map((s, i) => [s, i]));
const FINAL: ReadonlySet<MessageState> = new Set(['canceled', 'failed', 'undelivered', 'partially_delivered', 'delivered', 'read']);

/** Whether `status` is one of Twilio's outbound statuses. */
export function isMessageState(status: string): status is MessageState {
  return RANK.has(status);
}

/**
 * The state after a callback reporting `status`: the higher-ranked of the two. Unknown statuses
 * (inbound `receiving`/`received`, future additions) leave the state as it was.
 */
export function nextMessageState(current: MessageState | null, status: string): MessageState | null {
  if (!isMessageState(status)) return current;
  if (current === null) return status;
  return RANK.get(status)! > RANK.get(current)! ? status : current;
}

/** Whether no further status is expected except, for delivered messages, `read`. */
export function isFinalMessageState(state: MessageState): boolean {
  return FINAL.has(state);
}
