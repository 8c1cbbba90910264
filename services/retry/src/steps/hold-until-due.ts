/**
 * Lets through the due records at the front of the chunk and holds the partition at the first one
 * that is not due yet: `retry(wait, 'not_due')` makes the runtime commit what came before, pause
 * the partition and read again from that record when it is due (at most MAX_WAIT_MS later, then
 * it looks again). Waiting on the head is enough because the adapter writes a tier's records with
 * the tier's delay plus at most 20% jitter, so a tier's partition is close to due order; a record
 * behind the head that is due a little sooner waits at most that jitter. (A Retry-After longer
 * than the last tier does hold its partition that long: see README, "Limits".)
 *
 * The records after the first one not due are held too, without looking at them: they cannot be
 * committed before it, and later steps then read no destinations or profiles for them.
 */
import type { DeliveryAttempt } from '@stratum/schemas';
import { batchStep, ok, retry, type StepResult, type Step } from '@stratum/stream';
import { waitBeforeDue } from '../decide';
import type { RetryMetrics } from '../metrics';

export const NOT_DUE = 'not_due';

export function holdUntilDueStep(deps: { now: () => number; tierOf: (topic: string) => string; metrics: RetryMetrics }): Step<DeliveryAttempt, DeliveryAttempt> {
  return batchStep('hold-until-due', async (attempts, contexts) => {
    if (attempts.length === 0) return [];
    const now = deps.now();
    const head = attempts.findIndex((a) => waitBeforeDue(a, now) > 0);
    // A chunk is one partition's: its head's wait (uncapped) is that partition's, 0 once it is due.
    const { topic, partition } = contexts[0]!;
    deps.metrics.waiting(deps.tierOf(topic), `${topic}/${partition}`, head === -1 ? 0 : (attempts[head]!.notBefore - now) / 1000);
    if (head === -1) return attempts.map((a) => ok(a));
    const wait = waitBeforeDue(attempts[head]!, now);
    return attempts.map((a, i): StepResult<DeliveryAttempt> => (i < head ? ok(a) : retry(wait, NOT_DUE)));
  });
}
