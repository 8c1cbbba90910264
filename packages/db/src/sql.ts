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
