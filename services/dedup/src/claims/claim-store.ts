/**
 * Claims in PostgreSQL (table dedup_claims, range-partitioned by UTC day; docs/dedup.md).
 *
 * One statement per chunk does the work: find each key's live claim (younger than its record's
 * window) in the day partitions the window spans, and insert a claim for every key that has none.
 * Two rarer cases need a second statement:
 * - a claim in today's partition that expired (windows shorter than a day): it blocks the insert
 *   (the primary key holds per day), so it is taken over with a compare-and-set UPDATE;
 * - a claim inserted by a concurrent transaction after this statement's snapshot: the insert
 *   conflicts but the claim is invisible, so the keys are looked up again in a new statement.
 * Requests must be distinct by (tenantId, messageId); the caller resolves copies within a chunk.
 */
import type { Db } from '@stratum/db';
import { defineErrorCodes } from '@stratum/errors';
import { claimKey, type Claim, type ClaimRequest } from './claim';
import { ensureDayPartitions } from './day-partitions';

export const claimErrors = defineErrorCodes({
  claims_contended: { retriable: true, description: 'claims kept changing under concurrent writers; the chunk is retried' },
});

export interface ClaimStore {
  /** The live claim of each request's key, claiming it for the request where there was none. Same order as `requests`. */
  claim(requests: readonly ClaimRequest[]): Promise<Claim[]>;
}

interface ClaimRow {
  tenant_id: string;
  message_id: string;
  topic: string;
  partition: number;
  offset: string;
  first_seen_ms: string;
  created: boolean;
}

const INPUT = `json_to_recordset(?::json) AS i(tenant_id text, message_id text, window_s integer, "partition" integer, "offset" bigint)`;
const TODAY = `(now() AT TIME ZONE 'UTC')::date`;
const claimColumns = (t = '') =>
  `${t}tenant_id, ${t}message_id, ${t}topic, ${t}"partition", ${t}"offset"::text AS "offset", (extract(epoch FROM ${t}first_seen) * 1000)::bigint AS first_seen_ms`;
const CLAIM_COLUMNS = claimColumns();

// Per key, a LATERAL probe of the primary key (tenant_id, message_id, day) in each day partition the
// window reaches (day between ? and today): index look-ups however young and unanalysed today's partition
// is — a join here let the planner scan whole fresh partitions (pnpm bench dedup).
const FIND_OR_INSERT = `
WITH input AS (SELECT * FROM ${INPUT}),
found AS (
  SELECT i.tenant_id, i.message_id, c.topic, c."partition", c."offset", c.first_seen
  FROM input i
  CROSS JOIN LATERAL (
    SELECT c.topic, c."partition", c."offset", c.first_seen FROM dedup_claims c
    WHERE c.tenant_id = i.tenant_id AND c.message_id = i.message_id AND c.day BETWEEN ?::date AND ${TODAY}
      AND c.first_seen > now() - make_interval(secs => i.window_s)
    ORDER BY c.first_seen, c."partition", c."offset"
    LIMIT 1
  ) c
),
inserted AS (
  INSERT INTO dedup_claims (tenant_id, message_id, day, first_seen, topic, "partition", "offset")
  SELECT i.tenant_id, i.message_id, ${TODAY}, now(), ?, i."partition", i."offset"
  FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM found f WHERE f.tenant_id = i.tenant_id AND f.message_id = i.message_id)
  ON CONFLICT DO NOTHING
  RETURNING tenant_id, message_id, topic, "partition", "offset", first_seen
)
SELECT ${CLAIM_COLUMNS}, false AS created FROM found
UNION ALL
SELECT ${CLAIM_COLUMNS}, true AS created FROM inserted`;

// Row locks make this a compare-and-set: a concurrent taker re-checks first_seen on the new version and skips it.
const TAKE_OVER_EXPIRED = `
WITH input AS (SELECT * FROM ${INPUT})
UPDATE dedup_claims c SET first_seen = now(), topic = ?, "partition" = i."partition", "offset" = i."offset"
FROM input i
WHERE c.tenant_id = i.tenant_id AND c.message_id = i.message_id AND c.day = ${TODAY}
  AND c.first_seen <= now() - make_interval(secs => i.window_s)
RETURNING ${claimColumns('c.')}, true AS created`;

const NO_PARTITION = '23514'; // "no partition of relation found for row": today's partition is missing

/** Midnight UTC of the day `ms` falls on, as YYYY-MM-DD. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function createClaimStore(db: Db, options: { now?: () => number } = {}): ClaimStore {
  const now = options.now ?? Date.now;

  const inputJson = (requests: readonly ClaimRequest[]) =>
    JSON.stringify(
      requests.map((r) => ({ tenant_id: r.tenantId, message_id: r.messageId, window_s: r.windowSeconds, partition: r.position.partition, offset: r.position.offset })),
    );

  async function findOrInsert(requests: readonly ClaimRequest[], topic: string): Promise<ClaimRow[]> {
    const longest = Math.max(...requests.map((r) => r.windowSeconds));
    // A day of slack for the gap between this clock and the database's.
    const oldestDay = utcDay(now() - longest * 1000 - 86_400_000);
    try {
      return (await db.raw<{ rows: ClaimRow[] }>(FIND_OR_INSERT, [inputJson(requests), oldestDay, topic])).rows;
    } catch (err) {
      if ((err as { code?: unknown }).code !== NO_PARTITION) throw err;
      // Maintenance creates days ahead; a clock that jumped past them must not stop the stage.
      await ensureDayPartitions(db, { today: utcDay(now()) });
      return (await db.raw<{ rows: ClaimRow[] }>(FIND_OR_INSERT, [inputJson(requests), oldestDay, topic])).rows;
    }
  }

  return {
    async claim(requests) {
      const claims = new Map<string, Claim>();
      const record = (rows: readonly ClaimRow[]) => {
        for (const r of rows) {
          claims.set(claimKey(r.tenant_id, r.message_id), { owner: { topic: r.topic, partition: r.partition, offset: r.offset }, firstSeenMs: Number(r.first_seen_ms), created: r.created });
        }
      };
      const unresolved = () => requests.filter((r) => !claims.has(claimKey(r.tenantId, r.messageId)));
      // Requests may come from several topics only in theory (one stage reads one topic); group to be exact.
      for (const [topic, group] of groupByTopic(requests)) record(await findOrInsert(group, topic));
      for (let round = 0; round < 3 && unresolved().length > 0; round++) {
        for (const [topic, group] of groupByTopic(unresolved())) {
          record((await db.raw<{ rows: ClaimRow[] }>(TAKE_OVER_EXPIRED, [inputJson(group), topic])).rows);
        }
        for (const [topic, group] of groupByTopic(unresolved())) record(await findOrInsert(group, topic));
      }
      const left = unresolved();
      if (left.length > 0) throw claimErrors.error('claims_contended', `${left.length} claims kept changing under concurrent writers (first: ${left[0]!.tenantId}/${left[0]!.messageId})`);
      return requests.map((r) => claims.get(claimKey(r.tenantId, r.messageId))!);
    },
  };
}

function groupByTopic(requests: readonly ClaimRequest[]): Map<string, ClaimRequest[]> {
  const groups = new Map<string, ClaimRequest[]>();
  for (const r of requests) {
    const list = groups.get(r.position.topic) ?? [];
    list.push(r);
    groups.set(r.position.topic, list);
  }
  return groups;
}
