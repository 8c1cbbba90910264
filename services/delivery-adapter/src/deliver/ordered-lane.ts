/**
 * Delivery for destinations that keep each profile's events in order (DeliveryPolicy.ordering).
 * An event of profile K is sent only when K has nothing queued ahead of it; otherwise it parks in
 * delivery_order_queue. A failed event that will be retried becomes (or stays) K's head; when the
 * head finally leaves — delivered, dead-lettered, skipped — the next parked event is sent at once,
 * and so on until one fails or K's queue is empty. Only K waits: other profiles, and the
 * partition, go on. See @stratum/delivery's order-queue for why every decision takes K's lock.
 */
import { withTenant, type Db } from '@stratum/db';
import { dequeueAttempt, enqueueAttempt, lockOrderKey, queuedAttempts, queueHead, updateQueuedAttempt, type RetryTier } from '@stratum/delivery';
import type { DeliveryAttempt } from '@stratum/schemas';
import type { LiveDestination } from '../destinations/live-destinations';
import { headOf, planFor, type Plan } from './plan';
import type { Delivered, ItemResult, WorkItem } from './work';

export interface OrderedLaneDeps {
  readonly db: Db;
  readonly tiers: readonly RetryTier[];
  readonly now: () => number;
  /** Ledger, current profile and the destination's rules for one item (a parked event may have been delivered or lost its consent since). */
  readonly precheck: (item: WorkItem) => Promise<ItemResult | null>;
  readonly send: (item: WorkItem) => Promise<ItemResult>;
}

export interface PlannedDelivery extends Delivered {
  readonly plan: Plan;
}

const QUEUE_ORIGIN = 'delivery_order_queue';

export async function deliverOrdered(destination: LiveDestination, items: readonly WorkItem[], deps: OrderedLaneDeps): Promise<PlannedDelivery[]> {
  const out: PlannedDelivery[] = [];
  const record = (item: WorkItem, result: ItemResult): Plan => {
    const d = { item, result, at: deps.now() };
    const plan = planFor(d, deps.tiers);
    out.push({ ...d, plan });
    return plan;
  };
  const { tenantId, destinationId } = destination;
  for (const item of items) {
    const key = { destinationId, key: item.event.profileId };
    const head = await withTenant(deps.db, tenantId, async (trx) => {
      await lockOrderKey(trx, tenantId, key);
      const current = await queueHead(trx, tenantId, key);
      if (current !== null && current !== item.event.messageId) await enqueueAttempt(trx, tenantId, key, attemptOf(item));
      return current;
    });
    if (head !== null && head !== item.event.messageId) {
      record(item, { kind: 'held', behind: head });
      continue;
    }
    let next: WorkItem | null = item;
    while (next !== null) {
      const current: WorkItem = next;
      const result = (await deps.precheck(current)) ?? (await deps.send(current));
      const plan = record(current, result);
      next = await withTenant(deps.db, tenantId, async (trx) => {
        await lockOrderKey(trx, tenantId, key);
        if (plan.retry !== null) {
          // K waits for this one: it is (or stays) the head, with its latest attempt stored.
          await enqueueAttempt(trx, tenantId, key, plan.retry.record);
          await updateQueuedAttempt(trx, tenantId, destinationId, plan.retry.record);
          return null;
        }
        await dequeueAttempt(trx, tenantId, destinationId, current.event.messageId);
        const [parked] = await queuedAttempts(trx, tenantId, key, 1);
        return parked ? workItemOf(parked.attempt, destination, item.index) : null;
      });
    }
  }
  return out;
}

function attemptOf(item: WorkItem): DeliveryAttempt {
  return {
    ...headOf(item),
    attempt: item.attempt,
    notBefore: 0,
    firstAttemptAt: item.firstAttemptAt,
    lastError: null,
    replayOf: item.replayOf,
    backfill: item.backfill,
    event: item.event,
  };
}

/**
 * A parked event taken off the queue: sent as its stored attempt. A retried head is stored with the
 * attempt that failed (plan.retry.record), so it goes one higher — as the retry stage would send it.
 */
function workItemOf(a: DeliveryAttempt, destination: LiveDestination, index: number): WorkItem {
  return {
    index,
    destination,
    event: a.event,
    attempt: a.lastError === null ? a.attempt : a.attempt + 1,
    firstAttemptAt: a.firstAttemptAt,
    replayOf: a.replayOf,
    backfill: a.backfill,
    originTopic: QUEUE_ORIGIN,
  };
}
