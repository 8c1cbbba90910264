/**
 * @stratum/delivery: the state delivery keeps in PostgreSQL and the rules shared by the stages
 * that deliver (delivery-adapter), wait (retry), receive platform callbacks (gateway) and replay
 * (the CLI). Store functions take a transaction already scoped to the tenant (withTenant).
 */
export { decideRetry, effectivePolicy, isPastMaxAge, keepsKeyOrder, DEFAULT_DELIVERY_POLICY, type FailedAttempt, type RetryDecision, type RetryLimits, type RetryTier } from './policy/retry-policy';
export { deliveredAmong, recordDelivered, forgetDeliveredBefore, ledgerKey, type DeliveredRow, type LedgerKey } from './ledger/delivery-ledger';
export { readCurrentProfiles, type CurrentProfile } from './profiles/current-profiles';
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
