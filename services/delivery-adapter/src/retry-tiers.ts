/** The retry tiers: the catalogue's delay topics, with the delays optionally overridden by config. */
import type { RetryTier } from '@stratum/delivery';
import { topicNamed } from '@stratum/topics';

export function retryTiers(delaysMs: readonly string[] | undefined): RetryTier[] {
  const tiers = topicNamed('delivery.attempts').retryTiers;
  if (delaysMs === undefined || delaysMs.length === 0) return tiers.map((t) => ({ topic: t.topic, delayMs: t.delayMs }));
  if (delaysMs.length !== tiers.length) throw new Error(`DELIVERY_RETRY_DELAYS_MS has ${delaysMs.length} delays; the catalogue has ${tiers.length} retry tiers (${tiers.map((t) => t.topic).join(', ')})`);
  return tiers.map((t, i) => ({ topic: t.topic, delayMs: Number(delaysMs[i]) }));
}
