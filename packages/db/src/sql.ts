/** SQL fragments for timestamps as the topics carry them: UTC epoch milliseconds. */

/** A timestamptz column as epoch ms (bigint; a JSON number inside json_agg). */
export const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;

/** Epoch ms (a bigint field or parameter) as timestamptz. */
export const fromEpochMs = (field: string) => `to_timestamp(${field} / 1000.0)`;
