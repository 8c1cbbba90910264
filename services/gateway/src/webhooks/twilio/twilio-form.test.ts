import { isFormContentType, parseTwilioForm, readTwilioWebhook, webhookAccountSid } from './twilio-form';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';

it('reads a form body, keeping repeated parameters as lists and decoding + and %2B', () => {
  const body = Buffer.from('AccountSid=AC1&From=%2B14155550100&Body=hello+there&MediaUrl0=a&Tag=x&Tag=y&Tag=z');
  expect(parseTwilioForm(body)).toEqual({ AccountSid: 'AC1', From: '+14155550100', Body: 'hello there', MediaUrl0: 'a', Tag: ['x', 'y', 'z'] });
});

it('takes only form content types', () => {
  expect(isFormContentType('application/x-www-form-urlencoded')).toBe(true);
  expect(isFormContentType('Application/X-WWW-Form-Urlencoded; charset=utf-8')).toBe(true);
  expect(isFormContentType('application/json')).toBe(false);
  expect(isFormContentType(undefined)).toBe(false);
});

it('reads a status callback, with and without ErrorCode', () => {
  expect(readTwilioWebhook({ AccountSid: ACCOUNT, MessageSid: 'SM1', MessageStatus: 'failed', ErrorCode: '30008' })).toEqual({ kind: 'status', accountSid: ACCOUNT, messageSid: 'SM1', status: 'failed', errorCode: 30008 });
  expect(readTwilioWebhook({ AccountSid: ACCOUNT, SmsSid: 'SM2', MessageStatus: 'sent' })).toEqual({ kind: 'status', accountSid: ACCOUNT, messageSid: 'SM2', status: 'sent', errorCode: null });
});

it('reads an incoming message', () => {
  expect(readTwilioWebhook({ AccountSid: ACCOUNT, From: '+14155550100', To: '+14155550199', Body: 'STOP', OptOutType: 'STOP' })).toEqual({
    kind: 'inbound',
    accountSid: ACCOUNT,
    from: '+14155550100',
    body: 'STOP',
    optOutType: 'STOP',
  });
});

it('names the parameter a malformed webhook lacks', () => {
  expect(webhookAccountSid({ MessageSid: 'SM1' })).toMatchObject({ field: 'AccountSid' });
  expect(webhookAccountSid({ AccountSid: ['AC1', 'AC2'] })).toMatchObject({ field: 'AccountSid' });
  expect(readTwilioWebhook({ AccountSid: ACCOUNT, MessageStatus: 'sent' })).toMatchObject({ field: 'MessageSid' });
  expect(readTwilioWebhook({ AccountSid: ACCOUNT, MessageSid: 'SM1', MessageStatus: 'failed', ErrorCode: '30x' })).toMatchObject({ field: 'ErrorCode' });
  expect(readTwilioWebhook({ AccountSid: ACCOUNT, Body: 'hi' })).toMatchObject({ field: 'From' });
  expect(readTwilioWebhook({ AccountSid: ACCOUNT, From: '+14155550100' })).toMatchObject({ field: 'MessageStatus' });
});
