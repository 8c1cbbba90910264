/**
 * What SMS delivery keeps beyond the ledger: the recipients who opted out (checked before a text
 * goes; Twilio's 21610 adds one), and each sent message's SID with its state, which the gateway's
 * status callbacks then advance (queued → sent → delivered | failed | undelivered).
 */
import type { Knex } from 'knex';
import { optedOutAmong, phoneOptOutHash, recordOptOut, recordSentMessage } from '@stratum/delivery';
import { idempotencyKey, type PreparedEvent } from '@stratum/destinations';
import type { WorkItem } from './work';

interface SmsPayloadLike {
  readonly to: string;
}

const recipientOf = (p: PreparedEvent<unknown>): string => (p.payload as SmsPayloadLike).to;

/** messageIds of prepared texts whose recipient opted out. */
export async function optedOutTexts(trx: Knex.Transaction, tenantId: string, prepared: readonly PreparedEvent<unknown>[]): Promise<Set<string>> {
  const hashOf = new Map(prepared.map((p) => [p.messageId, phoneOptOutHash(recipientOf(p))]));
  const hashes = [...hashOf.values()].filter((h): h is string => h !== null);
  const out = await optedOutAmong(trx, tenantId, 'sms', hashes);
  return new Set([...hashOf].filter(([, h]) => h !== null && out.has(h)).map(([id]) => id));
}

export async function recordOptedOutRecipient(trx: Knex.Transaction, tenantId: string, prepared: PreparedEvent<unknown>): Promise<void> {
  const valueHash = phoneOptOutHash(recipientOf(prepared));
  if (valueHash !== null) await recordOptOut(trx, tenantId, { channel: 'sms', valueHash, source: 'twilio_21610' });
}

export async function recordSentTexts(trx: Knex.Transaction, tenantId: string, sent: ReadonlyArray<{ item: WorkItem; externalId: string | null }>): Promise<void> {
  for (const { item, externalId } of sent) {
    if (externalId === null) continue;
    await recordSentMessage(trx, tenantId, {
      messageSid: externalId,
      destinationId: item.destination.destinationId,
      idempotencyKey: idempotencyKey(tenantId, item.destination.destinationId, item.event.messageId),
      messageId: item.event.messageId,
      profileId: item.event.profileId,
      status: 'queued',
    });
  }
}
