/** SMS message states against PostgreSQL: recording, out-of-order callbacks, error codes, tenant isolation. */
import { randomBytes } from 'node:crypto';
import { advanceMessage, findMessage, recordSentMessage, type SentMessage, type SmsMessage } from '../src';
import { useDeliveryDatabase } from './sms-fixtures';

const store = useDeliveryDatabase();

function sent(overrides: Partial<SentMessage> = {}): SentMessage {
  return {
    messageSid: `SM${randomBytes(16).toString('hex')}`,
    destinationId: 'dst_sms',
    idempotencyKey: `msg_${randomBytes(13).toString('hex')}`,
    messageId: `m-${randomBytes(4).toString('hex')}`,
    profileId: 'prof_1',
    status: 'queued',
    ...overrides,
  };
}

/** A tenant with one recorded message. */
async function withMessage(overrides: Partial<SentMessage> = {}): Promise<{ tenantId: string; message: SentMessage }> {
  const { tenant, scoped } = store.current();
  const tenantId = await tenant();
  const message = sent(overrides);
  await scoped(tenantId, (trx) => recordSentMessage(trx, tenantId, message));
  return { tenantId, message };
}

function report(tenantId: string, r: Parameters<typeof advanceMessage>[2]): Promise<SmsMessage | null> {
  return store.current().scoped(tenantId, (trx) => advanceMessage(trx, tenantId, r));
}

function find(tenantId: string, messageSid: string): Promise<SmsMessage | null> {
  return store.current().scoped(tenantId, (trx) => findMessage(trx, tenantId, messageSid));
}

test('recordSentMessage stores the message once; a replay keeps the first row', async () => {
  const { tenantId, message } = await withMessage();
  const again = await store.current().scoped(tenantId, (trx) => recordSentMessage(trx, tenantId, { ...message, status: 'accepted', messageId: 'other' }));
  expect(again).toBe(false);
  expect(await find(tenantId, message.messageSid)).toEqual({ ...message, errorCode: null, createdAt: expect.any(String), updatedAt: expect.any(String) });
});

test('callbacks in order: sent, then delivered', async () => {
  const { tenantId, message } = await withMessage();
  expect(await report(tenantId, { messageSid: message.messageSid, status: 'sent', errorCode: null })).toMatchObject({ status: 'sent' });
  expect(await report(tenantId, { messageSid: message.messageSid, status: 'delivered', errorCode: null })).toMatchObject({ status: 'delivered', errorCode: null });
});

test('callbacks out of order: delivered before sent ends in delivered, and the late sent writes nothing', async () => {
  const { tenantId, message } = await withMessage();
  const delivered = await report(tenantId, { messageSid: message.messageSid, status: 'delivered', errorCode: null });
  expect(delivered).toMatchObject({ status: 'delivered' });
  const late = await report(tenantId, { messageSid: message.messageSid, status: 'sent', errorCode: null });
  expect(late).toEqual(delivered);
  expect(await find(tenantId, message.messageSid)).toEqual(delivered);
});

test('concurrent callbacks for one message end in the highest status', async () => {
  const { tenantId, message } = await withMessage();
  const statuses = ['sending', 'delivered', 'sent', 'queued', 'sent'];
  await Promise.all(statuses.map((status) => report(tenantId, { messageSid: message.messageSid, status, errorCode: null })));
  expect(await find(tenantId, message.messageSid)).toMatchObject({ status: 'delivered' });
});

test('failed with an ErrorCode keeps the code, also through a late sent and a repeat without it', async () => {
  const { tenantId, message } = await withMessage();
  expect(await report(tenantId, { messageSid: message.messageSid, status: 'failed', errorCode: 30008 })).toMatchObject({ status: 'failed', errorCode: 30008 });
  await report(tenantId, { messageSid: message.messageSid, status: 'sent', errorCode: null });
  await report(tenantId, { messageSid: message.messageSid, status: 'failed', errorCode: null });
  expect(await find(tenantId, message.messageSid)).toMatchObject({ status: 'failed', errorCode: 30008 });
});

test('a delivery receipt after undelivered wins and clears the error code', async () => {
  const { tenantId, message } = await withMessage();
  await report(tenantId, { messageSid: message.messageSid, status: 'undelivered', errorCode: 30003 });
  expect(await report(tenantId, { messageSid: message.messageSid, status: 'delivered', errorCode: null })).toMatchObject({ status: 'delivered', errorCode: null });
});

test('a status Twilio does not send for outbound messages changes nothing', async () => {
  const { tenantId, message } = await withMessage();
  expect(await report(tenantId, { messageSid: message.messageSid, status: 'received', errorCode: null })).toMatchObject({ status: 'queued' });
});

test('an unknown sid with an unknown key is null and writes nothing', async () => {
  const { tenantId } = await withMessage();
  expect(await report(tenantId, { messageSid: 'SMnobody', idempotencyKey: 'msg_nobody', status: 'delivered', errorCode: null })).toBeNull();
  expect(await find(tenantId, 'SMnobody')).toBeNull();
});

test('an unknown sid whose key is known gets a row of its own for the same event (a resend after a lost answer)', async () => {
  const { tenantId, message } = await withMessage();
  const lostSid = `SM${randomBytes(16).toString('hex')}`;
  const sibling = await report(tenantId, { messageSid: lostSid, idempotencyKey: message.idempotencyKey, status: 'sent', errorCode: null });
  expect(sibling).toMatchObject({ ...message, messageSid: lostSid, status: 'sent', errorCode: null });
  expect(await report(tenantId, { messageSid: lostSid, idempotencyKey: message.idempotencyKey, status: 'delivered', errorCode: null })).toMatchObject({ status: 'delivered' });
  // The known message is its own: untouched.
  expect(await find(tenantId, message.messageSid)).toMatchObject({ status: 'queued' });
});

test('concurrent first callbacks of a message known only by key create one row, in the highest status', async () => {
  const { tenantId, message } = await withMessage();
  const lostSid = `SM${randomBytes(16).toString('hex')}`;
  await Promise.all(['sent', 'delivered', 'sent'].map((status) => report(tenantId, { messageSid: lostSid, idempotencyKey: message.idempotencyKey, status, errorCode: null })));
  expect(await find(tenantId, lostSid)).toMatchObject({ status: 'delivered', messageId: message.messageId });
});

test('a callback with only a key advances the message of that key', async () => {
  const { tenantId, message } = await withMessage();
  expect(await report(tenantId, { idempotencyKey: message.idempotencyKey, status: 'sent', errorCode: null })).toMatchObject({ messageSid: message.messageSid, status: 'sent' });
});

test("row-level security: another tenant's scope sees and changes nothing", async () => {
  const { tenantId, message } = await withMessage();
  const other = await store.current().tenant();
  expect(await find(other, message.messageSid)).toBeNull();
  expect(await report(other, { messageSid: message.messageSid, idempotencyKey: message.idempotencyKey, status: 'delivered', errorCode: null })).toBeNull();
  // Even a query that forgets its tenant filter sees no other tenant's rows.
  const visible = await store.current().scoped(other, (trx) => trx('sms_messages').select('message_sid'));
  expect(visible).toEqual([]);
  // And the app role cannot write a row for another tenant.
  await expect(store.current().scoped(other, (trx) => recordSentMessage(trx, tenantId, sent()))).rejects.toThrow(/row-level security/);
  expect(await find(tenantId, message.messageSid)).toMatchObject({ status: 'queued' });
});
