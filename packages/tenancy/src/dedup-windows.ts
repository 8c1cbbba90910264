/** What dedup needs from the tenancy tables beyond one source's settings: how far back any window reaches. */
import type { Db } from '@stratum/db';
import { guarded } from './errors';

/**
 * The longest dedup window any tenant or source sets, in seconds, or null when none sets one.
 * dedup keeps its claims this long (or its own default, if longer) and drops older days.
 */
export async function longestDedupWindowSeconds(db: Db): Promise<number | null> {
  return guarded('read the longest dedup window', async () => {
    const { rows } = await db.raw<{ rows: { longest: number | null }[] }>(
      'SELECT greatest((SELECT max(dedup_window_seconds) FROM tenants), (SELECT max(dedup_window_seconds) FROM sources)) AS longest',
    );
    return rows[0]?.longest ?? null;
  });
}
