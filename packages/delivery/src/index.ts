/**
 * @stratum/delivery: the state delivery keeps in PostgreSQL and the rules shared by the stages
 * that deliver (delivery-adapter), wait (retry), receive platform callbacks (gateway) and replay
 * (the CLI). Store functions take a transaction already scoped to the tenant (withTenant).
 */
export { decideRetry, effectivePolicy, isPastMaxAge, keepsKeyOrder, tierForWait, DEFAULT_DELIVERY_POLICY, type FailedAttempt, type RetryDecision, type RetryLimits, type RetryTier } from './policy/retry-policy';
export { deliveredAmong, recordDelivered, forgetDeliveredBefore, ledgerKey, type DeliveredRow, type LedgerKey } from './ledger/delivery-ledger';
export { consentGrantedNow, doNotContactNow, readCurrentProfiles, type CurrentProfile } from './profiles/current-profiles';
export {
  dequeueAttempt,
  enqueueAttempt,
  lockOrderKey,
  purgeQueuedForProfile,
  queuedAttempts,
  queueHead,
  updateQueuedAttempt,
  type OrderKey,
  type QueuedAttempt,
} from './order-queue/order-queue';
export { advanceMessage, findMessage, recordSentMessage, type SentMessage, type SmsMessage, type StatusReport } from './sms/sms-messages';
export { optedOutAmong, phoneOptOutHash, recordOptOut, removeOptOut, type OptOut, type OptOutChannel } from './opt-outs/opt-outs';
export {
  countDeadLetters,
  deadLettersForReplay,
  forgetPurgedBefore,
  indexDeadLetters,
  listDeadLetters,
  markReplayed,
  purgeDeadLetters,
} from './dead-letters/dead-letters';
export { replayAttemptOf, type ReplayOptions, type ReplayRecord } from './dead-letters/replay-attempt';
export { deadLetterErrors } from './dead-letters/errors';
export {
  DEAD_LETTER_DEFAULT_PAGE_SIZE,
  DEAD_LETTER_MAX_PAGE_SIZE,
  type DeadLetterCount,
  type DeadLetterFilter,
  type DeadLetterPage,
  type DeadLetterPageRequest,
  type DeadLetterRow,
  type DeadLetterSummary,
} from './dead-letters/dead-letter';
export { deliveryKey, deliveryOutcome, type DeliveryHead } from './records/delivery-records';
