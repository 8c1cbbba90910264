/**
 * Delivers a chunk of work items: per tenant one transaction reads the ledger and the profiles'
 * current state; the destination's rules run; then every destination's lane works at the same
 * time, each bounded by its own time budget, so the chunk takes as long as the slowest lane's
 * budget at worst — never as long as a hung platform. Accepted requests go to the ledger as they
 * are answered. Returns each item's result with the records it must write (plan).
 */
import { withTenant, type Db } from '@stratum/db';
import { groupCommit } from './group-commit';
import { deliveredAmong, ledgerKey, readCurrentProfiles, recordDelivered, type CurrentProfile, type RetryTier } from '@stratum/delivery';
import type { LiveDestination } from '../destinations/live-destinations';
import { gateSkip, withCurrentFlags } from './gate';
import { deliverOrdered, type PlannedDelivery } from './ordered-lane';
import { planFor } from './plan';
import { sendItems, type LaneRun } from './send-items';
import { optedOutTexts, recordOptedOutRecipient, recordSentTexts } from './sms-records';
import type { ItemResult, WorkItem } from './work';

export interface EngineOptions {
  readonly db: Db;
  readonly tiers: readonly RetryTier[];
  /** How long one destination's lane may keep starting requests for one chunk. */
  readonly laneBudgetMs: number;
  /** Requests in flight per destination. */
  readonly laneConcurrency: number;
  readonly now?: () => number;
}

export type DeliveryEngine = (items: readonly WorkItem[]) => Promise<PlannedDelivery[]>;

interface TenantState {
  readonly delivered: Set<string>;
  readonly profiles: Map<string, CurrentProfile>;
}

export function createDeliveryEngine(options: EngineOptions): DeliveryEngine {
  const now = options.now ?? Date.now;
  const { db } = options;

  const readState = (tenantId: string, items: readonly WorkItem[]): Promise<TenantState> =>
    withTenant(db, tenantId, async (trx) => ({
      delivered: await deliveredAmong(trx, tenantId, items.map((i) => ({ destinationId: i.destination.destinationId, messageId: i.event.messageId }))),
      profiles: await readCurrentProfiles(trx, tenantId, items.map((i) => i.event.profileId)),
    }));

  /** Ledger, then the destination's rules; null when the item should be sent. Rewrites flags to the current profile's. */
  const precheck = (item: WorkItem, state: TenantState): { result: ItemResult } | { item: WorkItem } => {
    if (state.delivered.has(ledgerKey({ destinationId: item.destination.destinationId, messageId: item.event.messageId }))) return { result: { kind: 'already_delivered' } };
    const current = state.profiles.get(item.event.profileId);
    const skip = gateSkip(item, current);
    if (skip) return { result: { kind: 'skipped', status: 'skipped', reason: skip.reason, message: skip.message } };
    const event = withCurrentFlags(item.event, current);
    return { item: event === item.event ? item : { ...item, event } };
  };

  // One group-committed ledger writer per lane run: requests accepted while a write is in flight
  // are recorded together in the next transaction.
  const onDelivered = (tenantId: string) =>
    groupCommit<{ item: WorkItem; externalId: string | null }>((done) =>
      withTenant(db, tenantId, async (trx) => {
        const rows = done.map(({ item, externalId }) => ({ destinationId: item.destination.destinationId, messageId: item.event.messageId, profileId: item.event.profileId, attempt: item.attempt, externalId }));
        await recordDelivered(trx, tenantId, rows);
        await recordSentTexts(trx, tenantId, done.filter(({ item }) => item.destination.record.type === 'twilio_sms'));
      }),
    );

  const laneRun = (tenantId: string, destination: LiveDestination): LaneRun => ({
    deadline: now() + options.laneBudgetMs,
    concurrency: options.laneConcurrency,
    now,
    onDelivered: onDelivered(tenantId),
    optedOut: async (prepared) => (destination.record.type === 'twilio_sms' ? withTenant(db, tenantId, (trx) => optedOutTexts(trx, tenantId, prepared)) : new Set()),
    onOptedOut: (prepared) => withTenant(db, tenantId, (trx) => recordOptedOutRecipient(trx, tenantId, prepared)),
  });

  return async (items) => {
    const out: PlannedDelivery[] = [];
    const settle = (item: WorkItem, result: ItemResult) => {
      const d = { item, result, at: now() };
      out.push({ ...d, plan: planFor(d, options.tiers) });
    };
    const lanes: Array<Promise<void>> = [];
    for (const [tenantId, tenantItems] of groupBy(items, (i) => i.event.tenantId)) {
      const state = await readState(tenantId, tenantItems);
      const toSend = new Map<LiveDestination, WorkItem[]>();
      const seen = new Set<string>();
      for (const item of tenantItems) {
        const key = ledgerKey({ destinationId: item.destination.destinationId, messageId: item.event.messageId });
        // The same event twice in one chunk (a retry record written twice): one delivery.
        if (seen.has(key)) {
          settle(item, { kind: 'skipped', status: 'skipped', reason: 'duplicate_in_batch', message: 'the same event for the same destination appeared earlier in this batch' });
          continue;
        }
        seen.add(key);
        const checked = precheck(item, state);
        if ('result' in checked) settle(item, checked.result);
        else push(toSend, item.destination, checked.item);
      }
      for (const [destination, its] of toSend) {
        if (destination.ordered) {
          lanes.push(
            deliverOrdered(destination, its, {
              db,
              tiers: options.tiers,
              now,
              precheck: async (item) => {
                // Items of this chunk were checked above; parked ones taken off the queue were not.
                if (its.includes(item)) return null;
                const fresh = await readState(tenantId, [item]);
                const checked = precheck(item, fresh);
                return 'result' in checked ? checked.result : null;
              },
              send: async (item) => (await sendItems(destination, [item], laneRun(tenantId, destination))).get(item)!,
            }).then((planned) => void out.push(...planned)),
          );
        } else {
          lanes.push(sendItems(destination, its, laneRun(tenantId, destination)).then((results) => results.forEach((result, item) => settle(item, result))));
        }
      }
    }
    await Promise.all(lanes);
    return out.sort((a, b) => a.item.index - b.item.index);
  };
}

function push<K, T>(groups: Map<K, T[]>, key: K, item: T): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) push(groups, key(item), item);
  return groups;
}
