/**
 * Bulk writes by `COPY … FROM STDIN` inside a knex transaction, for writers of thousands of rows
 * per statement (the person import). PostgreSQL spends about a third of the time it needs for an
 * `INSERT … SELECT … FROM json_to_recordset(?)` of the same rows, since it parses no JSON into
 * records (measured on 138k trait rows: 0.8 s against 2.4–2.9 s; BENCHMARKS.md, Import).
 *
 * PostgreSQL refuses COPY FROM into a table under row-level security (every tenant table), so
 * `writeThroughStage` copies into a session-local temp table (no policy; nothing WAL-logged) and
 * moves the rows on with one statement the caller writes (`INSERT … SELECT … FROM staged ON
 * CONFLICT … RETURNING …`), where the policies apply as to any INSERT. That statement also empties
 * the stage, so a transaction can use a stage more than once. Staged, the rows still cost about
 * half of the json_to_recordset path (0.4 s COPY + 0.5–0.9 s INSERT … SELECT for the same 138k).
 *
 * Values are encoded in COPY's text format: null as `\N`, booleans `t`/`f`, arrays as PostgreSQL
 * array literals, and columns declared `json`/`jsonb` as JSON text.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A column and its PostgreSQL type (the stage is created with it; json/jsonb values are JSON-encoded). */
export type CopyColumn = readonly [name: string, type: string];
export type CopyValue = string | number | bigint | boolean | null | undefined | readonly (string | null)[] | object;

const identifier = /^[a-z_][a-z0-9_]*$/;

function checkName(name: string): string {
  if (!identifier.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

/** COPY text format: backslash, newline, carriage return and tab escaped. */
const escapeText = (s: string): string => (/[\\\n\r\t]/.test(s) ? s.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : s);
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const arrayElement = (e: string | null): string => (e === null ? 'NULL' : `"${e.replace(/[\\"]/g, (c) => `\\${c}`)}"`);

function encodeValue(value: CopyValue, isJson: boolean): string {
  if (value === null || value === undefined) return '\\N';
  if (isJson) return escapeText(JSON.stringify(value));
  switch (typeof value) {
    case 'string':
      return escapeText(value);
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (Array.isArray(value)) return escapeText(`{${(value as ReadonlyArray<string | null>).map(arrayElement).join(',')}}`);
      throw new Error(`a ${typeof value} value needs a json column`);
  }
}

function* encodeRows(columns: readonly CopyColumn[], rows: Iterable<readonly CopyValue[]>): Generator<string> {
  const json = columns.map(([, type]) => type === 'json' || type === 'jsonb');
  let batch = '';
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`a row has ${row.length} values for ${columns.length} columns`);
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + encodeValue(row[i], json[i]!);
    batch += `${line}\n`;
    // Chunks of about 64 KiB: fewer stream writes than a line each, bounded memory.
    if (batch.length >= 65_536) {
      yield batch;
      batch = '';
    }
  }
  if (batch.length > 0) yield batch;
}

/** The transaction's own connection (a knex transaction's client hands out the one it runs on). */
const connectionOf = (trx: Knex.Transaction): Promise<PoolClient> => trx.client.acquireConnection() as Promise<PoolClient>;

/** COPY the rows into `table` (columns in the rows' order; not a table under row-level security). */
async function copyRows(trx: Knex.Transaction, table: string, columns: readonly CopyColumn[], rows: Iterable<readonly CopyValue[]>): Promise<number> {
  const connection = await connectionOf(trx);
  const stream = connection.query(copyFrom(`COPY ${checkName(table)} (${columns.map(([c]) => checkName(c)).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(encodeRows(columns, rows)), stream);
  return stream.rowCount;
}

/** Below this many rows a stage costs more round trips than it saves: the rows go as one JSON parameter. */
const COPY_FROM_ROWS = 200;

/**
 * Writes `rows` with `moveSql`, which reads them as the relation `staged` (the columns as named):
 *   - from `COPY_FROM_ROWS` rows on, COPY into the temp table `stage` (created on first use in the
 *     session) and `WITH staged AS (DELETE FROM <stage> RETURNING *) <moveSql>`, so the stage is
 *     empty again afterwards;
 *   - below, `WITH staged AS (SELECT * FROM json_to_recordset(?) AS s(<columns>)) <moveSql>`.
 * A leading WITH of `moveSql` is joined on. Returns the statement's rows and row count.
 */
export async function writeThroughStage<Row>(
  trx: Knex.Transaction,
  stage: string,
  columns: readonly CopyColumn[],
  rows: ReadonlyArray<readonly CopyValue[]>,
  moveSql: string,
  bindings: readonly unknown[] = [],
  options: { copyFromRows?: number } = {},
): Promise<{ rows: Row[]; rowCount: number }> {
  const name = checkName(stage);
  const definition = columns.map(([c, type]) => `${checkName(c)} ${type}`).join(', ');
  let staged: string;
  let all = bindings;
  if (rows.length >= (options.copyFromRows ?? COPY_FROM_ROWS)) {
    await trx.raw(`CREATE TEMP TABLE IF NOT EXISTS ${name} (${definition}) ON COMMIT DELETE ROWS`);
    await copyRows(trx, name, columns, rows);
    staged = `staged AS (DELETE FROM ${name} RETURNING *)`;
  } else {
    staged = `staged AS (SELECT * FROM json_to_recordset(?::json) AS s(${definition}))`;
    all = [JSON.stringify(rows.map((r) => Object.fromEntries(columns.map(([c], i) => [c, r[i] ?? null])))), ...bindings];
  }
  const sql = /^\s*WITH\s/i.test(moveSql) ? moveSql.replace(/^\s*WITH\s/i, `WITH ${staged}, `) : `WITH ${staged} ${moveSql}`;
  const result = await trx.raw<{ rows: Row[]; rowCount: number }>(sql, all as Knex.RawBinding[]);
  return { rows: result.rows, rowCount: result.rowCount };
}
