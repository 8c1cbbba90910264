/**
 * Each Twilio message's state (sms_messages), one row per MessageSid. The delivery-adapter records
 * a row from Twilio's 201 answer; the gateway's status callbacks advance it. Callbacks are separate
 * HTTP requests that Twilio sends and retries independently, so they arrive out of order: the
 * state only moves along nextMessageState's order (a late `sent` after `delivered` changes
 * nothing), under a row lock so two concurrent callbacks cannot both read the old state.
 *
 * A callback can name a sid no row has while its `stratum_key` (the idempotency key the adapter
 * puts on the StatusCallback URL) matches one: Twilio created a message whose answer was lost (a
 * timeout), and the adapter's retry created a second one — Twilio has no idempotency key, so two
 * texts went out. The unknown one gets a row of its own, with the event of the known row: rows are
 * keyed by sid, and re-keying the known row would lose the message it really is about.
 *
 * Functions take a transaction already scoped to the tenant (withTenant).
 */
import { isMessageState, nextMessageState, type MessageState } from '@stratum/destinations';
import type { Knex } from 'knex';

/** A message as the delivery-adapter learnt it from Twilio's answer. */
export interface SentMessage {
  readonly messageSid: string;
  readonly destinationId: string;
  /** The idempotency key of (tenant, destination, messageId): the StatusCallback's stratum_key. */
  readonly idempotencyKey: string;
  /** The event's messageId. */
  readonly messageId: string;
  readonly profileId: string;
  /** The status in Twilio's answer (queued, or accepted through a Messaging Service). */
  readonly status: MessageState;
}

export interface SmsMessage extends SentMessage {
  /** Twilio's ErrorCode of the current status (failed, undelivered), else null. */
  readonly errorCode: number | null;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What one status callback reports. Twilio always sends MessageSid; stratum_key is on our callback URLs. */
export interface StatusReport {
  readonly messageSid?: string;
  readonly idempotencyKey?: string;
  /** MessageStatus as sent; statuses outside MESSAGE_STATES change nothing. */
  readonly status: string;
  readonly errorCode: number | null;
}

interface Row {
  message_sid: string;
  destination_id: string;
  idempotency_key: string;
  message_id: string;
  profile_id: string;
  status: MessageState;
  error_code: number | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = ['message_sid', 'destination_id', 'idempotency_key', 'message_id', 'profile_id', 'status', 'error_code', 'created_at', 'updated_at'];

function toMessage(row: Row): SmsMessage {
  return {
    messageSid: row.message_sid,
    destinationId: row.destination_id,
    idempotencyKey: row.idempotency_key,
    messageId: row.message_id,
    profileId: row.profile_id,
    status: row.status,
    errorCode: row.error_code,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Records a message Twilio accepted; a sid already recorded (a replayed chunk) keeps its row. True when inserted. */
export async function recordSentMessage(trx: Knex.Transaction, tenantId: string, m: SentMessage): Promise<boolean> {
  const { rows } = await trx.raw<{ rows: unknown[] }>(
    `INSERT INTO sms_messages (tenant_id, message_sid, destination_id, idempotency_key, message_id, profile_id, status)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, message_sid) DO NOTHING RETURNING 1`,
    [tenantId, m.messageSid, m.destinationId, m.idempotencyKey, m.messageId, m.profileId, m.status],
  );
  return rows.length === 1;
}

/** One message by sid, or null. */
export async function findMessage(trx: Knex.Transaction, tenantId: string, messageSid: string): Promise<SmsMessage | null> {
  const row = await trx('sms_messages').where({ tenant_id: tenantId, message_sid: messageSid }).first<Row | undefined>(COLUMNS);
  return row === undefined ? null : toMessage(row);
}

function lockBySid(trx: Knex.Transaction, tenantId: string, messageSid: string): Promise<Row | undefined> {
  return trx('sms_messages').where({ tenant_id: tenantId, message_sid: messageSid }).forUpdate().first<Row | undefined>(COLUMNS);
}

/**
 * A row for a message only its idempotency key names (see the file comment), created in the
 * reported state; undefined when no row has the key, or when a concurrent callback created it
 * first (then the caller locks that one and advances it).
 */
async function insertSibling(trx: Knex.Transaction, tenantId: string, messageSid: string, key: string, status: MessageState, errorCode: number | null): Promise<Row | undefined> {
  const { rows } = await trx.raw<{ rows: Row[] }>(
    `INSERT INTO sms_messages (tenant_id, message_sid, destination_id, idempotency_key, message_id, profile_id, status, error_code)
     SELECT tenant_id, ?, destination_id, idempotency_key, message_id, profile_id, ?, ?
       FROM sms_messages WHERE tenant_id = ? AND idempotency_key = ? ORDER BY created_at LIMIT 1
     ON CONFLICT (tenant_id, message_sid) DO NOTHING
     RETURNING ${COLUMNS.join(', ')}`,
    [messageSid, status, errorCode, tenantId, key],
  );
  return rows[0];
}

/**
 * The error code after a report: the report's when it moved the state (a late `delivered` clears
 * an `undelivered` code), else the stored one, filled in when a repeat of the same status carries
 * the code the first report lacked.
 */
function nextErrorCode(row: Row, next: MessageState, report: StatusReport): number | null {
  if (next !== row.status) return report.errorCode;
  return next === report.status ? (row.error_code ?? report.errorCode) : row.error_code;
}

/**
 * Applies one status callback: the message after it, or null when neither its sid nor its key is
 * known (or, with only a key, the status is not one of Twilio's outbound statuses). A callback
 * that does not move the state forward changes nothing, updated_at included.
 */
export async function advanceMessage(trx: Knex.Transaction, tenantId: string, report: StatusReport): Promise<SmsMessage | null> {
  const { messageSid, idempotencyKey } = report;
  let row = messageSid === undefined ? undefined : await lockBySid(trx, tenantId, messageSid);
  if (row === undefined && messageSid !== undefined && idempotencyKey !== undefined && isMessageState(report.status)) {
    const created = await insertSibling(trx, tenantId, messageSid, idempotencyKey, report.status, report.errorCode);
    if (created !== undefined) return toMessage(created);
    row = await lockBySid(trx, tenantId, messageSid);
  }
  if (row === undefined && messageSid === undefined && idempotencyKey !== undefined) {
    // No sid at all: the oldest message of the key is the best guess (normally the only one).
    row = await trx('sms_messages').where({ tenant_id: tenantId, idempotency_key: idempotencyKey }).orderBy('created_at').forUpdate().first<Row | undefined>(COLUMNS);
  }
  if (row === undefined) return null;

  const next = nextMessageState(row.status, report.status) ?? row.status;
  const errorCode = nextErrorCode(row, next, report);
  if (next === row.status && errorCode === row.error_code) return toMessage(row);
  const [updated] = await trx('sms_messages')
    .where({ tenant_id: tenantId, message_sid: row.message_sid })
    .update({ status: next, error_code: errorCode, updated_at: trx.fn.now() })
    .returning<Row[]>(COLUMNS);
  return toMessage(updated!);
}
