/**
 * Keeps the claim table's days in order while dedup runs: today and two days ahead exist, days
 * no window can reach are dropped, and the state-size and window metrics are refreshed. Runs
 * once at start, before consuming (main.ts lets a failure there end the process, for its
 * supervisor to start again), then every DEDUP_MAINTENANCE_INTERVAL_MS; a failed periodic run is
 * logged and tried again next time (the claim store creates a missing day itself if it must).
 */
import type { Db } from '@stratum/db';
import { describeError } from '@stratum/errors';
import type { Logger } from '@stratum/observability';
import { longestDedupWindowSeconds } from '@stratum/tenancy';
import { utcDay } from './claims/claim-store';
import { claimStateSize, daysToKeep, dropExpiredDayPartitions, ensureDayPartitions } from './claims/day-partitions';
import type { DedupMetrics } from './metrics';

export interface MaintenanceOptions {
  defaultWindowSeconds: number;
  intervalMs: number;
  metrics: DedupMetrics;
  logger: Logger;
  now?: () => number;
}

export interface Maintenance {
  /** One run now; resolves when it finished (throws what failed). */
  runOnce(): Promise<void>;
  stop(): void;
}

export function startMaintenance(db: Db, options: MaintenanceOptions): Maintenance {
  const now = options.now ?? Date.now;
  const { logger, metrics } = options;

  async function runOnce(): Promise<void> {
    const today = utcDay(now());
    const created = await ensureDayPartitions(db, { today, daysAhead: 2 });
    const longest = Math.max(options.defaultWindowSeconds, (await longestDedupWindowSeconds(db)) ?? 0);
    const dropped = await dropExpiredDayPartitions(db, { today, keepDays: daysToKeep(longest) });
    if (created.length > 0 || dropped.length > 0) logger.info({ created, dropped, longestWindowSeconds: longest }, 'dedup day partitions maintained');
    metrics.setWindows(options.defaultWindowSeconds, longest);
    metrics.setState(await claimStateSize(db));
  }

  const timer = setInterval(() => {
    runOnce().catch((err: unknown) => logger.warn({ error: describeError(err) }, 'dedup maintenance failed; trying again next interval'));
  }, options.intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
