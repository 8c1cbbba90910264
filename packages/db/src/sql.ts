/** SQL fragments for timestamps: as the topics carry them (UTC epoch milliseconds), and as keyset page keys (exact text). */

/** A timestamptz column as epoch ms (bigint; a JSON number inside json_agg). */
export const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;

/** Epoch ms (a bigint field or parameter) as timestamptz. */
export const fromEpochMs = (field: string) => `to_timestamp(${field} / 1000.0)`;

/**
 * A timestamptz column as its exact UTC text, `YYYY-MM-DDTHH:MM:SS.ffffffZ`: the sort key of a
 * keyset page, so the next page starts exactly after the last row — a JavaScript Date
 * (milliseconds) could skip or repeat rows sharing a millisecond.
 */
export const exactTimestampSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * A tenant id as the planner must not see it: `WHERE t.tenant_id = ${TENANT_ID}` binds one `?`
 * like `= ?`, but as an InitPlan, so the statement is planned for an average tenant. With the
 * value in view the planner reads the tenant's share of the table from the statistics, and a
 * tenant they do not name yet (new since the last ANALYZE, however large now) is guessed at about
 * one row: a key lookup then becomes a scan of the tenant's whole index range with a filter, once
 * per key, and a chunk costs as much as the tenant is large (measured: a second import tenant's
 * chunks of 100 rows took 1.6 → 29 s over its first 900 records). Statements that look up a
 * chunk's keys in a tenant's share of the graph use it.
 */
export const TENANT_ID = '(SELECT ?::text)';
